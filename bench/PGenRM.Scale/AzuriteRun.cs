using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using PGenRM.Core.Encoding;
using PGenRM.Grains.Log;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Derived;
using PGenRM.Grains.Storage;
using PGenRM.Testing;

namespace PGenRM.Scale;

/// <summary>
/// `--azurite`: the feedback path on Azurite. One silo (localhost clustering, client co-hosted) with the service's
/// storage, texts encoded by <see cref="PrecomputedEncoder"/> (no MiniLM in the loop). Users × feedback each over a
/// pool of shared items, `--concurrency` in flight; next to it, in the same run, the raw insert rate of rows of the log
/// row's size into an Azurite table with the same concurrency. Then the derived statistics' lag (the pipeline's
/// histogram), the stored sizes, and the silo's heap per active user.
/// </summary>
internal static class AzuriteRun
{
    private static int s_timeouts;
    private static int s_errors;

    public static async Task<int> RunAsync(string[] args)
    {
        int users = Int(args, "--users", 100_000);
        int perUser = Int(args, "--feedback-per-user", 3);
        int itemPool = Int(args, "--items", 20_000);
        int concurrency = Int(args, "--concurrency", 64);
        int usersPerTenant = Int(args, "--users-per-tenant", 100);
        int rawRows = Int(args, "--raw-rows", 5_000);
        var itemStorageOptions = new BucketedTableOptions
        {
            PartitionsPerTenant = Int(args, "--item-partitions", new BucketedTableOptions().PartitionsPerTenant),
            FlushWindow = TimeSpan.FromMilliseconds(Int(args, "--item-flush-ms", (int)new BucketedTableOptions().FlushWindow.TotalMilliseconds)),
        };
        string json = Arg(args, "--json") ?? "scale-azurite.json";
        var calls = args.Contains("--count-calls") ? new GrainCallCounter() : null;
        int warmupUsers = args.Contains("--warmup-users") ? Int(args, "--warmup-users", 1) : 0;
        var total = Stopwatch.StartNew();
        Console.WriteLine(Inv($"# Scale --azurite {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {users} users x {perUser} feedback, {itemPool} items, {concurrency} in flight; {Environment.ProcessorCount} CPUs, load {Load()}"));

        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        string storage = azurite.ConnectionString;
        string run = Guid.NewGuid().ToString("N")[..8];
        var names = new PGenRMStorageNames($"users{run}", $"items{run}", $"tenants{run}", $"prototypes-{run}");

        var requests = new RequestCounter();
        var blobWrites = new BlobWriteCounter();
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(blobWrites, Azure.Core.HttpPipelinePosition.PerCall);
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(requests, Azure.Core.HttpPipelinePosition.PerCall);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.Services.AddSingleton<ISentenceEncoder>(_ => new PrecomputedEncoder());
            silo.Services.AddPGenRMGrains();
            silo.AddPGenRMStorage(storage, names, tableOptions, itemStorageOptions);
            // The prototypes' blob client, with the counter (the storage extension takes options for tables only).
            silo.Services.PostConfigure<AzureBlobStorageOptions>("prototypes", b => b.BlobServiceClient = new BlobServiceClient(storage, blobOptions));
            if (calls is not null)
            {
                silo.AddIncomingGrainCallFilter(calls);
            }
        });
        using var host = builder.Build();

        // The pipeline's lag histogram, read in-process.
        var lags = new ConcurrentBag<double>();
        var flushSizes = new ConcurrentBag<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DerivedStatsMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "pgenrm.derived.lag")
            {
                lags.Add(value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "pgenrm.derived.flush.size")
            {
                flushSizes.Add(value);
            }
        });
        listener.Start();

        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var pipeline = host.Services.GetRequiredService<DerivedStatsPipeline>();
        var itemStorage = (BucketedTableStorage)host.Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>("items");
        Console.WriteLine(Inv($"Azurite and a 1-silo cluster up in {total.Elapsed.TotalSeconds:F1} s"));

        // The tenants (a user of a tenant that does not exist is not served), then a warm-up: tables created, grain types loaded.
        int tenants = ((users - 1) / usersPerTenant) + 1;
        await Parallel.ForEachAsync(Enumerable.Range(0, tenants).Select(t => $"t{t}").Append("warm"), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (tenant, ct) =>
            await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).CreateAsync(new TenantSettings(), new string('0', 64), ct));
        await grains.GetGrain<IUserGrain>(GrainKeys.User("warm", "up")).ApplyFeedbackAsync(Pair(0, 0, itemPool, "warm"));
        if (warmupUsers > 0)
        {
            // `--warmup-users N`: the same rounds over N other users (tenants "w…") first, so that the measured rounds run
            // code the runtime has tiered up (the JIT otherwise takes a third or more of a short run's silo CPU).
            int warmTenants = ((warmupUsers - 1) / usersPerTenant) + 1;
            await Parallel.ForEachAsync(Enumerable.Range(0, warmTenants), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, ct) =>
                await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant($"w{t}")).CreateAsync(new TenantSettings(), new string('0', 64), ct));
            var warmClock = Stopwatch.StartNew();
            await RoundAsync(grains, new double[warmupUsers * perUser], 0, warmupUsers * perUser, warmupUsers, usersPerTenant, itemPool, concurrency, "w");
            Console.WriteLine(Inv($"warm-up: {warmupUsers} users x {perUser} in {warmClock.Elapsed.TotalSeconds:F1} s"));

            // Their membership and write-behind timers fire (5 s), then their activations are collected (checkpoints),
            // so that none of their requests, calls or CPU fall into the measured rounds.
            await Task.Delay(TimeSpan.FromSeconds(6));
            await CollectActivationsAsync(grains);
        }

        await pipeline.FlushAsync();
        lags.Clear();
        long heapBefore = Heap();

        // Feedback: user u sends its items in order; users interleave, `concurrency` calls in flight. The first round
        // activates every user (state read, log query, membership); the later rounds reach active users.
        var latencies = new double[users * perUser];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var requestsBefore = requests.Snapshot();
        var blobsBefore = blobWrites.Snapshot();
        var callsBefore = calls?.Snapshot();
        var rowsBefore = requests.TransactionRows();
        var itemCountsBefore = itemStorage.Counts;
        double childCpuBefore = ChildCpuMilliseconds();
        var feedback = Stopwatch.StartNew();
        string Status()
        {
            long table = requests.Snapshot().Values.Sum() - requestsBefore.Values.Sum();
            var blobs = blobWrites.Snapshot();
            return Inv($"{table} table requests, {blobs.Writes - blobsBefore.Writes} prototype blob writes ({(blobs.Bytes - blobsBefore.Bytes) / 1e6:F0} MB)");
        }

        var firstRound = await RoundAsync(grains, latencies, 0, users, users, usersPerTenant, itemPool, concurrency, status: Status);
        var laterRounds = perUser > 1 ? await RoundAsync(grains, latencies, users, users * perUser, users, usersPerTenant, itemPool, concurrency, status: Status) : TimeSpan.Zero;
        feedback.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore;
        var requestsAfter = requests.Snapshot();
        var blobsAfter = blobWrites.Snapshot();
        var callsAfter = calls?.Snapshot();
        double childCpu = ChildCpuMilliseconds() - childCpuBefore;
        var flushClock = Stopwatch.StartNew();
        await pipeline.FlushAsync();
        flushClock.Stop();
        double feedbackPerSecond = users * perUser / feedback.Elapsed.TotalSeconds;
        Console.WriteLine(Inv($"{users * perUser} feedback in {feedback.Elapsed.TotalSeconds:F1} s = {feedbackPerSecond:F1}/s; final flush {flushClock.Elapsed.TotalMilliseconds:F0} ms; load {Load()}"));

        // Memory: the heap with every user active, then after collecting the activations.
        long heapActive = Heap();
        await CollectActivationsAsync(grains);
        long heapCollected = Heap();
        var requestsCollected = requests.Snapshot();
        var callsCollected = calls?.Snapshot();
        var rowsCollected = requests.TransactionRows();
        var itemCounts = itemStorage.Counts.Since(itemCountsBefore);

        // The raw insert rate, same concurrency, rows of a log row's size, in the same Azurite.
        var sizes = await LogRowBytesAsync(new TableClient(storage, names.LogTable));
        var raw = new TableClient(storage, $"raw{run}");
        await raw.CreateIfNotExistsAsync();
        var payload = new byte[(int)sizes.Mean];
        Random.Shared.NextBytes(payload);
        int rawNext = -1;
        var rawClock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int k = Interlocked.Increment(ref rawNext); k < rawRows; k = Interlocked.Increment(ref rawNext))
            {
                await raw.AddEntityAsync(new TableEntity($"p{k % 997}", $"r{k}") { ["Seq"] = (long)k, ["Data0"] = payload });
            }
        }));
        rawClock.Stop();
        double rawPerSecond = rawRows / rawClock.Elapsed.TotalSeconds;
        Console.WriteLine(Inv($"raw inserts: {rawRows} rows of {payload.Length} bytes in {rawClock.Elapsed.TotalSeconds:F1} s = {rawPerSecond:F1}/s; load {Load()}"));

        var states = await PayloadBytesAsync(new TableClient(storage, names.UsersTable));
        var itemsStored = await PayloadBytesAsync(new TableClient(storage, names.ItemsTable));
        Array.Sort(latencies);
        var lagValues = lags.ToArray();
        Array.Sort(lagValues);
        // Measured: the silo's table requests during the feedback rounds, and the state writes after them (membership timers, the checkpoints of the collection).
        double n = users * perUser;
        // A user's first append is a transaction (the log row and the user's marker row, docs/STORAGE.md), the others single inserts.
        double logWrites = (RequestCounter.Between(requestsBefore, requestsAfter, names.LogTable, RequestKind.Write)
            + RequestCounter.Between(requestsBefore, requestsAfter, names.LogTable, RequestKind.Transaction)) / n;
        double stateWrites = RequestCounter.Between(requestsBefore, requestsAfter, names.UsersTable, write: true) / n;
        double stateWritesAfterRounds = RequestCounter.Between(requestsAfter, requestsCollected, names.UsersTable, write: true) / n;
        double userReads = (RequestCounter.Between(requestsBefore, requestsAfter, names.UsersTable, write: false) + RequestCounter.Between(requestsBefore, requestsAfter, names.LogTable, write: false)) / n;
        double itemWrites = (RequestCounter.Between(requestsBefore, requestsAfter, names.ItemsTable, RequestKind.Write)
            + RequestCounter.Between(requestsBefore, requestsAfter, names.ItemsTable, RequestKind.Transaction)) / n;
        var tables = new[] { ("log", names.LogTable), ("users", names.UsersTable), ("items", names.ItemsTable), ("tenants", names.TenantsTable) };
        Dictionary<string, object> ByTable(Dictionary<(string, RequestKind), long> from, Dictionary<(string, RequestKind), long> to) =>
            tables.ToDictionary(t => t.Item1, t => (object)new Dictionary<string, double>
            {
                ["reads"] = Math.Round(RequestCounter.Between(from, to, t.Item2, RequestKind.Read) / n, 3),
                ["writes"] = Math.Round(RequestCounter.Between(from, to, t.Item2, RequestKind.Write) / n, 3),
                ["transactions"] = Math.Round(RequestCounter.Between(from, to, t.Item2, RequestKind.Transaction) / n, 3),
            });
        long allRequests = requestsCollected.Sum(kv => kv.Value) - requestsBefore.Sum(kv => kv.Value);
        long itemTransactions = RequestCounter.Between(requestsBefore, requestsCollected, names.ItemsTable, RequestKind.Transaction);
        long itemTransactionRows = rowsCollected.GetValueOrDefault(names.ItemsTable) - rowsBefore.GetValueOrDefault(names.ItemsTable);
        long itemSingleWrites = RequestCounter.Between(requestsBefore, requestsCollected, names.ItemsTable, RequestKind.Write);
        double checkpointsPerFeedback = stateWrites + stateWritesAfterRounds;
        var result = new Dictionary<string, object>
        {
            ["mode"] = "azurite",
            ["users"] = users,
            ["feedbackPerUser"] = perUser,
            ["feedbackItems"] = users * perUser,
            ["itemPool"] = itemPool,
            ["usersPerTenant"] = usersPerTenant,
            ["concurrency"] = concurrency,
            ["feedbackPerSecond"] = Math.Round(feedbackPerSecond, 1),
            ["feedbackPerSecondFirstRound"] = Math.Round(users / firstRound.TotalSeconds, 1),
            ["feedbackPerSecondActiveUsers"] = perUser > 1 ? Math.Round(users * (perUser - 1) / laterRounds.TotalSeconds, 1) : 0,
            ["ackLatencyMsP50ActiveUsers"] = perUser > 1 ? Math.Round(Percentile(latencies[users..].Order().ToArray(), 0.50), 2) : 0,
            ["ackLatencyMsP99ActiveUsers"] = perUser > 1 ? Math.Round(Percentile(latencies[users..].Order().ToArray(), 0.99), 2) : 0,
            ["rawInsertsPerSecond"] = Math.Round(rawPerSecond, 1),
            ["feedbackToRawInsertRatio"] = Math.Round(feedbackPerSecond / rawPerSecond, 3),
            ["ackTimeoutsRetried"] = s_timeouts,
            ["ackErrorsRetried"] = s_errors,
            ["azuriteCpuMsPerFeedback"] = Math.Round(childCpu / (users * perUser), 2),
            ["prototypeBlobWritesPerFeedback"] = Math.Round((blobsAfter.Writes - blobsBefore.Writes) / (double)(users * perUser), 3),
            ["prototypeBlobBytesPerFeedback"] = Math.Round((blobsAfter.Bytes - blobsBefore.Bytes) / (double)(users * perUser), 0),
            ["siloCpuMsPerFeedback"] = Math.Round(cpu.TotalMilliseconds / (users * perUser), 2),
            // Methods the JIT compiled during the rounds (tier-ups included): a short run's silo CPU is largely JIT warm-up.
            ["jitMethodsCompiled"] = jitMethods,
            ["warmupUsers"] = warmupUsers,
            ["ackLatencyMsP50"] = Math.Round(Percentile(latencies, 0.50), 2),
            ["ackLatencyMsP99"] = Math.Round(Percentile(latencies, 0.99), 2),
            ["derivedLagMsP50"] = Math.Round(Percentile(lagValues, 0.50), 1),
            ["derivedLagMsP99"] = Math.Round(Percentile(lagValues, 0.99), 1),
            ["derivedLagMsMax"] = Math.Round(lagValues.Length > 0 ? lagValues[^1] : 0, 1),
            ["derivedJudgmentsApplied"] = lagValues.Length,
            ["derivedFlushSizeMean"] = Math.Round(flushSizes.IsEmpty ? 0 : flushSizes.Average(), 1),
            ["finalFlushMs"] = Math.Round(flushClock.Elapsed.TotalMilliseconds, 1),
            ["derivedDropped"] = pipeline.Dropped,
            ["userStateBytesP50"] = Percentile(states.Sorted, 0.50),
            ["userStateBytesP99"] = Percentile(states.Sorted, 0.99),
            ["logRowBytes"] = Math.Round(sizes.Mean, 1),
            ["storageRequestsPerFeedback"] = Math.Round(logWrites + stateWrites, 3),
            ["logWritesPerFeedback"] = Math.Round(logWrites, 3),
            ["userStateWritesPerFeedback"] = Math.Round(stateWrites, 3),
            ["userStateWritesAfterRoundsPerFeedback"] = Math.Round(stateWritesAfterRounds, 3),
            ["userReadsPerFeedback"] = Math.Round(userReads, 3),
            ["itemWritesPerFeedback"] = Math.Round(itemWrites, 3),
            ["requestsPerFeedbackByTable"] = ByTable(requestsBefore, requestsAfter),
            ["requestsPerFeedbackAfterRoundsByTable"] = ByTable(requestsAfter, requestsCollected),
            ["storageRequestsPerFeedbackAll"] = Math.Round(allRequests / n, 3),
            ["itemPartitionsPerTenant"] = itemStorageOptions.PartitionsPerTenant,
            ["itemFlushWindowMs"] = itemStorageOptions.FlushWindow.TotalMilliseconds,
            ["itemReadsPerFeedback"] = Math.Round(itemCounts.Reads / n, 3),
            ["itemReadsFoundPerFeedback"] = Math.Round(itemCounts.ReadsFound / n, 3),
            ["itemRowsWrittenPerFeedback"] = Math.Round(itemCounts.RowsWritten / n, 3),
            ["itemWriteRequestsPerFeedbackAll"] = Math.Round((itemSingleWrites + itemTransactions) / n, 3),
            ["itemTransactionsPerFeedbackAll"] = Math.Round(itemTransactions / n, 3),
            ["itemRowsPerTransaction"] = Math.Round(itemTransactions == 0 ? 0 : (double)itemTransactionRows / itemTransactions, 2),
            ["itemRowsPerWriteRequest"] = Math.Round(itemCounts.RowsPerWriteRequest, 2),
            ["itemConflicts"] = itemCounts.Conflicts,
            ["itemStorageCounts"] = itemCounts,
            ["requestCountsRaw"] = requestsCollected.ToDictionary(kv => $"{kv.Key.Table}/{kv.Key.Kind}", kv => kv.Value - requestsBefore.GetValueOrDefault(kv.Key)),
            ["transactionRowsRaw"] = rowsCollected,
            ["bytesWrittenPerFeedback"] = Math.Round(sizes.Mean + (checkpointsPerFeedback * states.Mean), 1),
            ["itemStateBytesMean"] = Math.Round(itemsStored.Mean, 1),
            ["itemsStored"] = itemsStored.Sorted.Length,
            ["heapBytesBefore"] = heapBefore,
            ["heapBytesAllUsersActive"] = heapActive,
            ["heapBytesAfterCollection"] = heapCollected,
            ["memoryPerActiveUserBytes"] = Math.Round((double)(heapActive - heapCollected) / users, 0),
            ["loadAverageEnd"] = Load(),
            ["grainCallsPerFeedback"] = callsBefore is null ? 0 : Math.Round(GrainCallCounter.Between(callsBefore, callsAfter!, n).Values.Sum(), 3),
            ["grainCallsPerFeedbackByMethod"] = callsBefore is null ? new SortedDictionary<string, double>() : GrainCallCounter.Between(callsBefore, callsAfter!, n),
            ["grainCallsAfterRoundsPerFeedbackByMethod"] = callsBefore is null ? new SortedDictionary<string, double>() : GrainCallCounter.Between(callsAfter!, callsCollected!, n),
            ["totalSeconds"] = Math.Round(total.Elapsed.TotalSeconds, 1),
        };
        string text = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(json, text);
        Console.WriteLine(text);
        await host.StopAsync();
        return 0;
    }

    /// <summary>Feedback k in [<paramref name="from"/>, <paramref name="to"/>) (user k mod users, its item k / users), latency of each into <paramref name="latencies"/>.</summary>
    /// <remarks>Every 30 s a progress line: feedback done, the rate since the last line, and <paramref name="status"/> (a long run is otherwise silent for an hour).</remarks>
    private static async Task<TimeSpan> RoundAsync(IGrainFactory grains, double[] latencies, int from, int to, int users, int usersPerTenant, int itemPool, int concurrency, string tenantPrefix = "t", Func<string>? status = null)
    {
        int next = from - 1;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var progress = Task.Run(async () =>
        {
            int last = from;
            var since = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                int done = Math.Min(Volatile.Read(ref next), to);
                Console.WriteLine(Inv($"  {done - from} of {to - from} in {clock.Elapsed.TotalSeconds:F0} s, {(done - last) / since.Elapsed.TotalSeconds:F1}/s lately; {status?.Invoke()}; load {Load()}"));
                (last, since) = (done, Stopwatch.StartNew());
            }
        });
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int k = Interlocked.Increment(ref next); k < to; k = Interlocked.Increment(ref next))
            {
                int u = k % users, i = k / users;
                var user = grains.GetGrain<IUserGrain>(GrainKeys.User($"{tenantPrefix}{u / usersPerTenant}", $"u{u}"));
                long start = Stopwatch.GetTimestamp();
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        // A retry after a timeout may find the first send applied: then it is a duplicate, as for a client.
                        // Ids unique across users, as a client's UUIDs are: the log's row key is the id, and Azurite
                        // finds a row by its row key first, then scans every row that shares it (a per-user counter,
                        // "f-0" for every user, made each append scan all users' rows: docs/BENCHMARKS.md, session 5).
                        var receipt = await user.ApplyFeedbackAsync(Pair(u, i, itemPool, $"f-{u}-{i}"));
                        if (receipt.Status != FeedbackStatus.Applied && attempt == 1)
                        {
                            throw new InvalidOperationException($"Feedback {k} was {receipt.Status}.");
                        }

                        break;
                    }
                    catch (TimeoutException) when (attempt < 5)
                    {
                        Interlocked.Increment(ref s_timeouts);
                    }
                    catch (Exception e) when (attempt < 5 && e is OperationCanceledException or OrleansException)
                    {
                        // A transient cluster error (e.g. an item activation cancelled on the starved VM): re-sent, as a client would.
                        Interlocked.Increment(ref s_errors);
                    }
                }

                latencies[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        await stop.CancelAsync();
        await progress;
        Console.WriteLine(Inv($"feedback {from}..{to}: {clock.Elapsed.TotalSeconds:F1} s = {(to - from) / clock.Elapsed.TotalSeconds:F1}/s; load {Load()}"));
        return clock.Elapsed;
    }

    /// <summary>Feedback <paramref name="i"/> of user <paramref name="u"/>: a pair of two items from the shared pool (skewed toward the first ones).</summary>
    private static FeedbackItem Pair(int u, int i, int itemPool, string id)
    {
        var r = new Random(HashCode.Combine(u, i));
        int a = Skewed(r, itemPool), b = Skewed(r, itemPool);
        if (b == a)
        {
            b = (a + 1) % itemPool;
        }

        int topic = r.Next(1000);
        return new FeedbackItem(id, Feedback.Query(topic), $"Answer {a}: {Feedback.Concise(a)}", $"Answer {b}: {Feedback.Verbose(b)}", $"item-{a}", $"item-{b}", 1, DateTimeOffset.UnixEpoch.AddMinutes(i));
    }

    private static int Skewed(Random r, int n) => (int)(n * Math.Pow(r.NextDouble(), 2));

    private static async Task<(double Mean, int[] Sorted)> LogRowBytesAsync(TableClient table)
    {
        var sizes = new List<int>();
        // The users' marker rows (keys only, one per user: docs/STORAGE.md) are not log rows.
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (FeedbackLog.IsMarker(row.RowKey))
            {
                continue;
            }

            sizes.Add(row.Keys.Sum(k => row[k] switch { byte[] b => b.Length, string s => s.Length, long => 8, _ => 0 }) + row.PartitionKey.Length + row.RowKey.Length);
        }

        var sorted = sizes.Order().ToArray();
        return (sorted.Length == 0 ? 0 : sorted.Average(), sorted);
    }

    private static async Task<(double Mean, int[] Sorted)> PayloadBytesAsync(TableClient table)
    {
        var sizes = new List<int>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            sizes.Add(row.Keys.Sum(k => row[k] is byte[] b ? b.Length : 0));
        }

        var sorted = sizes.Order().ToArray();
        return (sorted.Length == 0 ? 0 : sorted.Average(), sorted);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static int Percentile(int[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>CPU time of this process's descendants (Azurite's Node process), from /proc; 0 where there is none.</summary>
    private static double ChildCpuMilliseconds()
    {
        if (!Directory.Exists("/proc"))
        {
            return 0;
        }

        var parents = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                // Fields after the command's closing parenthesis: state ppid ... utime (14th field) stime (15th).
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        int self = Environment.ProcessId;
        long ticks = 0;
        foreach (var (pid, (_, t)) in parents)
        {
            for (int p = parents[pid].Parent, depth = 0; p > 1 && depth < 16; p = parents.TryGetValue(p, out var up) ? up.Parent : 0, depth++)
            {
                if (p == self)
                {
                    ticks += t;
                    break;
                }
            }
        }

        return ticks * 10.0; // USER_HZ = 100 on Linux
    }

    /// <summary>
    /// Collects every idle activation and waits until the collection is done. With thousands of users the collection
    /// (a checkpoint each) outlasts the 30 s response timeout of the management call, which then fails while the
    /// collection goes on; the count of activations tells when it ended.
    /// </summary>
    private static async Task CollectActivationsAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        try
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
        }
        catch (TimeoutException)
        {
            for (int last = -1, now = await management.GetTotalActivationCount(); now != last; last = now, now = await management.GetTotalActivationCount())
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    internal static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    internal static int Int(string[] args, string name, int fallback) =>
        Arg(args, name) is string s
            ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new ArgumentException($"{name} must be a positive integer, got '{s}'.")
            : fallback;

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
