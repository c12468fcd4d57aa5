using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using PGenRM.Testing;

namespace PGenRM.Scale;

/// <summary>
/// `--azurite-tables`: how Azurite's table operations cost as a table grows, the reason a ≥ 100k-user run on Azurite
/// needs care: rows of a log row's size are inserted in steps (3 per user partition, as the Azurite run writes them),
/// and after each step the mean time of an insert, of a point read by both keys, and of the log-tail query an
/// activation makes (`PartitionKey eq P and Seq gt 0`) is taken. Azurite keeps a table in one LokiJS collection: inserts
/// and point reads use its key index, a query evaluates its filter over every row of the table.
/// Usage: --azurite-tables [--rows N] [--step S] [--probes P] [--json FILE]
/// </summary>
internal static class AzuriteTableProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        int maxRows = AzuriteRun.Int(args, "--rows", 150_000);
        int step = AzuriteRun.Int(args, "--step", 10_000);
        int probes = AzuriteRun.Int(args, "--probes", 20);
        string json = AzuriteRun.Arg(args, "--json") ?? "azurite-tables.json";
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var table = new TableClient(azurite.ConnectionString, "probe" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        var payload = new byte[2_048];
        new Random(1).NextBytes(payload);
        var rng = new Random(2);
        var points = new List<Dictionary<string, double>>();
        Console.WriteLine("rows\tinsert ms\tpoint read ms\ttail query ms");
        for (int rows = 0; rows < maxRows;)
        {
            var clock = Stopwatch.StartNew();
            int target = rows + step;
            var inFlight = new List<Task>();
            for (; rows < target; rows++)
            {
                inFlight.Add(table.AddEntityAsync(new TableEntity(Partition(rows), $"f{rows}") { ["Seq"] = (long)(rows % 3 + 1), ["Data0"] = payload }));
                if (inFlight.Count == 32)
                {
                    await Task.WhenAll(inFlight);
                    inFlight.Clear();
                }
            }

            await Task.WhenAll(inFlight);
            double insertMs = clock.Elapsed.TotalMilliseconds / step;
            clock.Restart();
            for (int i = 0; i < probes; i++)
            {
                int r = rng.Next(rows);
                await table.GetEntityAsync<TableEntity>(Partition(r), $"f{r}");
            }

            double pointMs = clock.Elapsed.TotalMilliseconds / probes;
            clock.Restart();
            for (int i = 0; i < probes; i++)
            {
                await foreach (var _ in table.QueryAsync<TableEntity>($"PartitionKey eq '{Partition(rng.Next(rows))}' and Seq gt 0L"))
                {
                }
            }

            double queryMs = clock.Elapsed.TotalMilliseconds / probes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows}\t{insertMs:F3}\t{pointMs:F2}\t{queryMs:F2}"));
            points.Add(new() { ["rows"] = rows, ["insertMs"] = Math.Round(insertMs, 3), ["pointReadMs"] = Math.Round(pointMs, 2), ["tailQueryMs"] = Math.Round(queryMs, 2) });
        }

        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { load = AzuriteRun.Load(), points }, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    // Three rows per user partition, ten users per tenant, keys shaped like the log's.
    private static string Partition(int row) => $"t{row / 30}%2Fu{row / 3}";
}
