using System.Globalization;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Loads the Generative Social Choice chatbot-personalisation survey (<c>gsc-chatbot-personalization/</c>) from
/// <c>chatbot_personalization_data.csv</c>: statement ratings (rows of type <c>multiple choice + text</c>) become ratings
/// 0–4 under one fixed prompt; the generation users' <c>text</c> answers become their stated preferences.
/// </summary>
/// <remarks>
/// The statement is the text between the first and the last double quote of <c>question_text</c> (README). Its id is
/// <c>gsc/</c> + a hash of its normalised text. The explanation each user gave for a rating (the <c>text</c> column of a
/// rating row) is never loaded: it states the label. <c>reading</c> rows (consent and background screens) are skipped.
/// <c>hand_annotated_generation_data.csv</c> is not read.
/// </remarks>
public static class GscLoader
{
    /// <summary>The data file inside the folder.</summary>
    public const string FileName = "chatbot_personalization_data.csv";

    /// <summary>The id of the single prompt.</summary>
    public const string PromptId = "gsc";

    /// <summary>The fixed prompt every statement answers (the README's suggested conversion).</summary>
    public const string PromptText = "Which statement best captures your opinion on chatbot personalization?";

    private static readonly string[] s_choiceLabels = ["not at all", "poorly", "somewhat", "mostly", "perfectly"];

    /// <summary>Loads the survey as a <see cref="PreferenceDataset"/> named <c>gsc</c>.</summary>
    /// <param name="folder">The <c>gsc-chatbot-personalization</c> folder.</param>
    /// <exception cref="DatasetFormatException">A row is malformed; the message names the file and line.</exception>
    public static PreferenceDataset Load(string folder) => LoadSurvey(folder).Dataset;

    /// <summary>Loads the survey with its sample structure (which users and statements belong to which sample).</summary>
    /// <param name="folder">The <c>gsc-chatbot-personalization</c> folder.</param>
    /// <exception cref="DatasetFormatException">A row is malformed; the message names the file and line.</exception>
    public static GscSurvey LoadSurvey(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = Path.Combine(folder, FileName);
        var items = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        var ratings = new List<RatingJudgment>();
        var answers = new Dictionary<string, List<(long Step, string Text)>>(StringComparer.Ordinal);
        var userSample = new Dictionary<string, string>(StringComparer.Ordinal);
        var statementSample = new Dictionary<string, (string Sample, long Line)>(StringComparer.Ordinal);

        using (var table = CsvTable.Open(path))
        {
            int userColumn = table.Column("user_id"), stepColumn = table.Column("step"), typeColumn = table.Column("question_type"),
                questionColumn = table.Column("question_text"), choiceColumn = table.Column("choice"),
                numericColumn = table.Column("choice_numeric"), textColumn = table.Column("text"), sampleColumn = table.Column("sample_type");
            while (table.Read())
            {
                var user = table.Get(userColumn).Trim();
                var sample = table.Get(sampleColumn).Trim();
                if (user.Length == 0)
                {
                    throw table.Error("empty user_id");
                }

                if (userSample.TryGetValue(user, out var knownSample) && knownSample != sample)
                {
                    throw table.Error($"user '{user}' is in sample '{knownSample}' on an earlier row and '{sample}' here");
                }

                userSample[user] = sample;
                var step = table.GetInt64(stepColumn, "step");
                switch (table.Get(typeColumn).Trim())
                {
                    case "reading":
                        break;
                    case "text":
                        var answer = table.Get(textColumn).Trim();
                        if (answer.Length > 0)
                        {
                            if (!answers.TryGetValue(user, out var list))
                            {
                                answers.Add(user, list = []);
                            }

                            list.Add((step, answer));
                        }

                        break;
                    case "multiple choice + text":
                        var statement = ExtractStatement(table.Get(questionColumn)) ?? throw table.Error("question_text holds no statement in double quotes");
                        var id = $"{PromptId}/{TextKey.Hash(statement)}";
                        items.TryAdd(id, new ItemRecord(id, PromptId, statement));
                        if (statementSample.TryGetValue(id, out var seen))
                        {
                            if (seen.Sample != sample)
                            {
                                throw table.Error($"statement {id} is rated by the '{seen.Sample}' sample (line {seen.Line}) and the '{sample}' sample");
                            }
                        }
                        else
                        {
                            statementSample.Add(id, (sample, table.Line));
                        }

                        var value = table.GetDouble(numericColumn, "choice_numeric");
                        var label = Array.IndexOf(s_choiceLabels, table.Get(choiceColumn).Trim());
                        if (value is < 0 or > 4 || value != Math.Floor(value) || label != (int)value)
                        {
                            throw table.Error($"choice '{table.Get(choiceColumn)}' and choice_numeric '{table.Get(numericColumn)}' do not form a rating 0–4");
                        }

                        ratings.Add(new RatingJudgment(user, PromptId, id, value, step));
                        break;
                    default:
                        throw table.Error($"unknown question_type '{table.Get(typeColumn)}'");
                }
            }
        }

        // Answers in survey order; they are independent questions, so a blank line keeps them apart.
        var stated = answers.ToDictionary(
            a => a.Key,
            a => string.Join("\n\n", a.Value.OrderBy(x => x.Step).Select(x => x.Text)),
            StringComparer.Ordinal);

        var generationStatements = StatementsOf(statementSample, "generation");
        var slateStatements = StatementsOf(statementSample, "validation");
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{generationStatements.Length} statements rated by the generation sample, {slateStatements.Length} (the slate) by the validation sample"),
            "rating explanations are not loaded (they state the label)",
        };
        var dataset = new PreferenceDataset(
            "gsc", [new PromptRecord(PromptId, PromptText)], items.Values, ratings: ratings, statedPreferences: stated, notes: notes);
        return new GscSurvey(dataset, UsersOf(userSample, "generation"), UsersOf(userSample, "validation"), generationStatements, slateStatements);
    }

    /// <summary>The text between the first and the last straight double quote, or <see langword="null"/> if there are fewer than two.</summary>
    internal static string? ExtractStatement(string questionText)
    {
        var first = questionText.IndexOf('"', StringComparison.Ordinal);
        var last = questionText.LastIndexOf('"');
        if (first < 0 || last <= first)
        {
            return null;
        }

        var statement = questionText[(first + 1)..last].Trim();
        return statement.Length == 0 ? null : statement;
    }

    private static string[] UsersOf(Dictionary<string, string> userSample, string sample) =>
        [.. userSample.Where(u => u.Value == sample).Select(u => u.Key).Order(StringComparer.Ordinal)];

    private static string[] StatementsOf(Dictionary<string, (string Sample, long Line)> statements, string sample) =>
        [.. statements.Where(s => s.Value.Sample == sample).Select(s => s.Key).Order(StringComparer.Ordinal)];
}
