using System.Text.Json;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>`pgenrm eval --backend llm` against the fake judge: budgeted, resumable, scored from the model's chains.</summary>
[Collection(ApiCollection.Name)]
public sealed class LlmEvalCliTests(ApiFixture api)
{
    [Fact(Timeout = TestTimeouts.Api)]
    public async Task EvalLlm_JudgesUpToMaxPairs_AndResumes()
    {
        var ct = TestContext.Current.CancellationToken;
        string folder = Path.Combine(Path.GetTempPath(), "pgenrm-llm-eval-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string rows = Path.Combine(folder, "prb.jsonl");
            var lines = new List<string>();
            foreach (var user in new[] { "u1", "u2", "u3" })
            {
                for (int i = 0; i < 30; i++)
                {
                    lines.Add(JsonSerializer.Serialize(new
                    {
                        user_id = user,
                        context = $"Question {i} about topic {i % 7} from {user}?",
                        chosen = $"GOOD answer {i} for {user}",
                        rejected = $"weak answer {i} for {user}",
                    }));
                }
            }

            await File.WriteAllLinesAsync(rows, lines, ct);

            // The fake gives the GOOD response 8 and the other 3, whatever the order.
            api.Judge.Handler = (call, _) => FakeReply.Text(call.Response1.StartsWith("GOOD", StringComparison.Ordinal)
                ? FakeChains.Valid(8, 3) : FakeChains.Valid(3, 8));
            string outDir = Path.Combine(folder, "out");
            string[] Args(int maxPairs) =>
            [
                "eval", "--backend", "llm", "--endpoint", api.Judge.BaseUri.ToString(), "--model", "eval-judge",
                "--dataset", "prb", "--prb-path", rows, "--protocol", "new", "--seeds", "1", "--max-pairs", maxPairs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--out", outDir,
            ];

            int before = api.Judge.Calls.Count(c => c.Model == "eval-judge");
            var (code, output) = await CliProcess.RunAsync(ct, Args(5));
            Assert.True(code == 0, output);
            Assert.Equal(5, api.Judge.Calls.Count(c => c.Model == "eval-judge") - before);
            Assert.Equal(5, File.ReadAllLines(Path.Combine(outDir, "llm-progress.jsonl")).Length);
            Assert.Contains("| 5 | 100.00 | 0 | 0 |", output, StringComparison.Ordinal);

            // A rerun with the same budget judges nothing new; a bigger one judges only the difference.
            (code, output) = await CliProcess.RunAsync(ct, Args(5));
            Assert.True(code == 0, output);
            Assert.Equal(5, api.Judge.Calls.Count(c => c.Model == "eval-judge") - before);
            (code, output) = await CliProcess.RunAsync(ct, Args(7));
            Assert.True(code == 0, output);
            Assert.Equal(7, api.Judge.Calls.Count(c => c.Model == "eval-judge") - before);
            Assert.Contains("| 7 | 100.00 | 0 | 0 |", await File.ReadAllTextAsync(Path.Combine(outDir, "llm-evaluation.md"), ct), StringComparison.Ordinal);

            var missing = await CliProcess.RunAsync(ct, "eval", "--backend", "llm", "--dataset", "prb", "--prb-path", rows);
            Assert.Equal(2, missing.Code);
            Assert.Contains("--endpoint", missing.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
