using System.Net;

namespace PGenRM.Api.Tests;

/// <summary>The `pgenrm` CLI against the test host: import (resumable, idempotent), profile, score --server.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliTests(ApiFixture api)
{
    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Rebuild_NeedsTheAdminKey_AndReplaysTheTenantsFeedbackLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("rebuild", null, ct);
        foreach (var (id, query, chosen, rejected) in new[] { ("r1", "How do I reverse a list?", "xs[::-1]", "Lists are old."), ("r2", "Learn SQL?", "Do 20 joins.", "SQL is a language.") })
        {
            var sent = await api.SendAsync(HttpMethod.Post, "/v1/tenants/rebuild/users/ann/feedback", key, new { id, query, chosen, rejected });
            Assert.Equal(HttpStatusCode.OK, sent.Status);
        }

        string server = api.Http.BaseAddress!.ToString();
        var tenantKey = await CliProcess.RunAsync(ct, "rebuild", "rebuild", "--server", server, "--key", key);
        Assert.Equal(1, tenantKey.Code);
        Assert.Contains("401", tenantKey.Output);

        var unknown = await CliProcess.RunAsync(ct, "rebuild", "no-such-tenant", "--server", server, "--key", ApiFixture.AdminKey);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("404", unknown.Output);

        var rebuilt = await CliProcess.RunAsync(ct, "rebuild", "rebuild", "--server", server, "--key", ApiFixture.AdminKey);
        Assert.True(rebuilt.Code == 0, rebuilt.Output);
        Assert.Contains("1 users, 4 items, 1 prototypes from 2 log entries", rebuilt.Output);
    }

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Import_ResumesAndIsIdempotent_ThenProfileAndScoreReadTheUsers()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("cli", null, ct);
        string file = Path.Combine(Path.GetTempPath(), "pgenrm-import-" + Guid.NewGuid().ToString("N")[..8] + ".jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"user":"ann","query":"How do I reverse a list in Python?","chosen":"Use xs[::-1].","rejected":"Lists are a fascinating topic."}""",
            """{"user":"ann","id":"a2","query":"Best way to learn SQL?","chosen":"Install SQLite and do 20 join exercises.","rejected":"SQL is a language."}""",
            "",
            """{"user":"ben","id":"b1","query":"Best way to learn SQL?","chosen":"SQL is a language.","rejected":"Install SQLite and do 20 join exercises."}""",
        ], ct);
        string server = api.Http.BaseAddress!.ToString();
        try
        {
            var first = await CliProcess.RunAsync(ct, "import", file, "--server", server, "--key", key, "--batch", "2");
            Assert.True(first.Code == 0, first.Output);
            Assert.Contains("3 applied, 0 duplicates, 0 failed", first.Output);
            Assert.Equal("4", (await File.ReadAllTextAsync(file + ".import-progress", ct)).Trim());

            var resumed = await CliProcess.RunAsync(ct, "import", file, "--server", server, "--key", key);
            Assert.True(resumed.Code == 0, resumed.Output);
            Assert.Contains("Resuming after line 4", resumed.Output);
            Assert.Contains("0 applied, 0 duplicates, 0 failed", resumed.Output);

            // Everything again: the ids (given or derived from the line) make every item a duplicate.
            var again = await CliProcess.RunAsync(ct, "import", file, "--server", server, "--key", key, "--restart");
            Assert.True(again.Code == 0, again.Output);
            Assert.Contains("0 applied, 3 duplicates, 0 failed", again.Output);

            var ann = await api.SendAsync(HttpMethod.Get, "/v1/tenants/cli/users/ann/profile", key);
            Assert.Equal(HttpStatusCode.OK, ann.Status);
            Assert.Equal(2, ann.Body.GetProperty("feedbackCount").GetInt64());
            // No pair of these users' items was judged by anyone else: no tenant collaborative scale (the API leaves null
            // fields out) while the prior strength the user chose is there.
            Assert.False(ann.Body.TryGetProperty("collaborativeScale", out _));
            Assert.True(ann.Body.GetProperty("priorScale").GetDouble() > 0);

            var profile = await CliProcess.RunAsync(ct, "profile", "--server", server, "--key", key, "--user", "ben", "--json");
            Assert.True(profile.Code == 0, profile.Output);
            Assert.Contains("\"feedbackCount\": 1", profile.Output);

            var missing = await CliProcess.RunAsync(ct, "profile", "--server", server, "--key", key, "--user", "nobody");
            Assert.Equal(1, missing.Code);
            Assert.Contains("404", missing.Output);

            var score = await CliProcess.RunAsync(ct, "score", "--server", server, "--key", key, "--user", "ann", "--query", "How do I sort a list?", "--candidate", "sorted(xs)", "--candidate", "Sorting is an old idea.", "--json");
            Assert.True(score.Code == 0, score.Output);
            Assert.Contains("\"rewards\"", score.Output);
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".import-progress");
        }
    }
}
