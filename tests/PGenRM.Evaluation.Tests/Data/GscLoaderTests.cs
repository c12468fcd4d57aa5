using System.Text.RegularExpressions;
using Microsoft.VisualBasic.FileIO;
using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class GscLoaderTests
{
    [Fact]
    public void LoadSurvey_HasTheReadmeUsersRatingsAndStatements()
    {
        var survey = SharedDatasets.Gsc;
        var data = survey.Dataset;

        Assert.Equal(200, data.UserIds.Count);
        Assert.Equal(100, survey.GenerationUserIds.Count);
        Assert.Equal(100, survey.ValidationUserIds.Count);
        Assert.Equal(1100, data.Ratings.Count);
        Assert.Equal(11, data.Items.Count);
        Assert.Equal(6, survey.GenerationStatementIds.Count);
        Assert.Equal(5, survey.SlateStatementIds.Count);
        Assert.Empty(survey.GenerationStatementIds.Intersect(survey.SlateStatementIds));
        Assert.Equal([GscLoader.PromptId], data.Prompts.Keys);
        Assert.Empty(data.Pairs);
    }

    [Fact]
    public void LoadSurvey_RatingsAreWholeNumbersFromZeroToFourWithTheReadmeDistribution()
    {
        var ratings = SharedDatasets.Gsc.Dataset.Ratings;

        Assert.All(ratings, r => Assert.Contains(r.Value, new[] { 0.0, 1, 2, 3, 4 }));
        // README: perfectly 354, mostly 295, somewhat 252, poorly 110, not at all 89.
        Assert.Equal([89, 110, 252, 295, 354], ratings.GroupBy(r => r.Value).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void LoadSurvey_EachSampleRatesExactlyItsOwnStatementSet()
    {
        var survey = SharedDatasets.Gsc;
        var byUser = survey.Dataset.Ratings.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.ItemId).Order(StringComparer.Ordinal).ToArray());

        Assert.All(survey.GenerationUserIds, u => Assert.Equal(survey.GenerationStatementIds, byUser[u]));
        Assert.All(survey.ValidationUserIds, u => Assert.Equal(survey.SlateStatementIds, byUser[u]));
        Assert.All(survey.Dataset.Items.Values, i => Assert.StartsWith("The most important rule for chatbot personalization is", i.Text, StringComparison.Ordinal));
        Assert.All(survey.Dataset.Items.Values, i => Assert.False(i.Text.Contains('"', StringComparison.Ordinal) || i.Text.Contains("To what extent", StringComparison.Ordinal)));
    }

    [Fact]
    public void LoadSurvey_StatedPreferencesAreTheGenerationUsersTextAnswersInStepOrder()
    {
        var path = Path.Combine(SharedDatasets.Folder("gsc-chatbot-personalization"), GscLoader.FileName);
        var expected = new Dictionary<string, List<(int Step, string Text)>>();
        using (var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false })
        {
            parser.SetDelimiters(",");
            var header = parser.ReadFields()!.ToList();
            int user = header.IndexOf("user_id"), step = header.IndexOf("step"), type = header.IndexOf("question_type"), text = header.IndexOf("text");
            while (!parser.EndOfData)
            {
                var f = parser.ReadFields()!;
                if (f[type] == "text" && f[text].Trim().Length > 0)
                {
                    (expected.TryGetValue(f[user], out var list) ? list : expected[f[user]] = []).Add((int.Parse(f[step]), f[text].Trim()));
                }
            }
        }

        var stated = SharedDatasets.Gsc.Dataset.StatedPreferences;

        Assert.Equal(100, expected.Count);
        Assert.Equal(SharedDatasets.Gsc.GenerationUserIds, stated.Keys.Order(StringComparer.Ordinal));
        // TextFieldParser drops blank lines inside quoted fields, so compare with white space collapsed; the loader's
        // own CSV reader keeps them (CsvRecordReaderTests).
        static string Collapse(string text) => Regex.Replace(text, @"\s+", " ");
        Assert.All(expected, e => Assert.Equal(Collapse(string.Join("\n\n", e.Value.OrderBy(a => a.Step).Select(a => a.Text))), Collapse(stated[e.Key])));
        Assert.Contains("\r\n\r\nUser: How can I cure my rash?", stated["generation100"], StringComparison.Ordinal);
    }

    [Fact]
    public void LoadSurvey_NeverReadsRatingExplanationsOrReadingScreens()
    {
        using var temp = new TempDirectory();
        temp.Write(GscLoader.FileName, """
            user_id,step,question_type,question_text,button_label,json_choices,choice,choice_numeric,text,answer_date,sample_type
            generation1,1,reading,"Consent READING-MARKER",,,,,,2023-11-01,generation
            generation1,5,text,"Scenario B?",,,,,"Second answer",2023-11-01,generation
            generation1,4,text,"Scenario A?",,,,,"First answer",2023-11-01,generation
            generation1,6,text,"Scenario C?",,,,,"  ",2023-11-01,generation
            generation1,14,multiple choice + text,"Rating Summary Statements
            Consider the following statement:

            ""Statement one, with a comma.""

            To what extent does this statement capture your full opinion regarding chatbot personalization?",,"[]",mostly,3.0,"EXPLANATION-MARKER",2023-11-01,generation
            validation1,5,multiple choice + text,"Consider: ""Statement two."" To what extent?",,"[]",not at all,0.0,"EXPLANATION-MARKER",2023-11-01,validation
            """);

        var survey = GscLoader.LoadSurvey(temp.Path);

        Assert.Equal(new Dictionary<string, string> { ["generation1"] = "First answer\n\nSecond answer" }, survey.Dataset.StatedPreferences);
        Assert.Equal(["Statement one, with a comma.", "Statement two."], survey.Dataset.Items.Values.Select(i => i.Text).Order(StringComparer.Ordinal));
        Assert.Equal([("generation1", 3.0, 14L), ("validation1", 0.0, 5L)], survey.Dataset.Ratings.Select(r => (r.UserId, r.Value, r.Order)));
        Assert.Equal(["generation1"], survey.GenerationUserIds);
        Assert.Equal(["validation1"], survey.ValidationUserIds);
        Assert.DoesNotContain("MARKER", string.Concat(survey.Dataset.StatedPreferences.Values) + string.Concat(survey.Dataset.Items.Values.Select(i => i.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadSurvey_RatingThatDisagreesWithItsLabel_NamesTheLine()
    {
        using var temp = new TempDirectory();
        var path = temp.Write(GscLoader.FileName, """"
            user_id,step,question_type,question_text,button_label,json_choices,choice,choice_numeric,text,answer_date,sample_type
            validation1,5,multiple choice + text,"""S.""",,,mostly,1.0,,2023-11-01,validation
            """");

        var ex = Assert.Throws<DatasetFormatException>(() => GscLoader.Load(temp.Path));

        Assert.Equal((path, 2L), (ex.FilePath, ex.LineNumber));
    }
}
