using System.Net;
using System.Threading.RateLimiting;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.Dashboard;
using PGenRM.Core.Encoding;
using PGenRM.Encoding.Onnx;
using PGenRM.Evaluators.Llm;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;
using PGenRM.Host.Api;
using PGenRM.Host.Api.Endpoints;
using PGenRM.Hosting.Azurite;

namespace PGenRM.Host.Hosting;

/// <summary>
/// Builds and starts the service: one process with the Orleans silo and the HTTP API. <c>dotnet run --project
/// src/PGenRM.Host</c> and <c>pgenrm serve</c> both come here; configuration is the usual ASP.NET Core stack
/// (appsettings.json beside the binaries, environment, command line) under <see cref="ServiceOptions.Section"/>.
/// </summary>
public static partial class PGenRMHost
{
    /// <summary>Where the API listens when no URL is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Starts the service and runs it until Ctrl+C or SIGTERM; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        PGenRMService service;
        try
        {
            service = await StartAsync(args, Console.Out, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"pgenrm: configuration error: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (service.ConfigureAwait(false))
        {
            await service.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// Builds and starts the service. Keys created at this start (the admin key when none is configured, the demo
    /// tenant's key) are written once to <paramref name="console"/>.
    /// </summary>
    public static async Task<PGenRMService> StartAsync(string[] args, TextWriter console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        // Azure SDK spans (storage calls) are off unless this switch is set.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions();
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var adminHash = AdminKeyHash(options, console);

        AzuriteProcess? azurite = null;
        string storage = options.StorageConnectionString ?? "";
        if (string.IsNullOrWhiteSpace(storage))
        {
            // In a session of its own and stopped after the silo (PGenRMService.DisposeAsync): a silo whose storage
            // vanished hangs in shutdown.
            azurite = await AzuriteProcess.StartAsync(
                new AzuriteOptions
                {
                    DataFolder = Path.Combine(options.DataDirectory, "azurite"),
                    BlobPort = options.AzuriteBlobPort,
                    QueuePort = options.AzuriteQueuePort,
                    TablePort = options.AzuriteTablePort,
                    OwnSession = true,
                    ConfigurationHint = "Ports: PGenRM:AzuriteBlobPort/AzuriteQueuePort/AzuriteTablePort (0 = free); or set " +
                        "PGenRM:StorageConnectionString to an Azure Storage account.",
                },
                cancellationToken).ConfigureAwait(false);
            storage = azurite.ConnectionString;
        }

        try
        {
            Configure(builder, options, storage, adminHash);
            var app = builder.Build();
            ConfigurePipeline(app, options);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            // Start building the evaluator now, so the first request (and readiness) does not wait for it.
            _ = app.Services.GetRequiredService<SiloEvaluator>().GetAsync(CancellationToken.None);
            // Observable instruments exist once their meter's owner does.
            _ = app.Services.GetRequiredService<CacheMetrics>();
            string? demoKey = await EnsureDemoTenantAsync(app, options, console, cancellationToken).ConfigureAwait(false);
            await console.WriteLineAsync($"PGenRM listening on {address} (storage: {(azurite is null ? "configured connection string" : $"embedded Azurite, data in {Path.GetFullPath(Path.Combine(options.DataDirectory, "azurite"))}")})").ConfigureAwait(false);
            return new PGenRMService(app, azurite, address, demoKey);
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static void Configure(WebApplicationBuilder builder, ServiceOptions options, string storage, string adminHash)
    {
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            // Loopback by default (also when appsettings.json is not beside the binaries, as under `pgenrm serve`).
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new AdminKey(adminHash));
        builder.Services.AddSingleton(_ => new AuthFailureLimiter(options.AuthFailuresPerMinute));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        // TypedResults write with the API's JSON settings, and the OpenAPI document describes what they write.
        builder.Services.ConfigureHttpJsonOptions(json => JsonBody.ConfigureWriting(json.SerializerOptions));
        builder.Services.AddOpenApi(openApi => openApi.AddOperationTransformer(JsonRequestBody.DescribeAsync));
        builder.Services.AddRateLimiter(rate =>
        {
            rate.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var tenant = ApiKeyAuthentication.TryTenant(context);
                if (tenant is null)
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                // The rate is part of the partition key, so a settings change starts a new bucket.
                double rps = tenant.Settings.RequestsPerSecond;
                return RateLimitPartition.GetTokenBucketLimiter($"{tenant.Tenant}|{rps}", _ => TokenBucket(rps));
            });
            rate.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                var tenant = ApiKeyAuthentication.TryTenant(context.HttpContext);
                return new ValueTask(ErrorHandling.WriteAsync(context.HttpContext, 429, "Too many requests",
                    $"Tenant '{tenant?.Tenant}' is limited to {tenant?.Settings.RequestsPerSecond} requests per second; retry later."));
            };
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("pgenrm"))
            .WithMetrics(m => m
                .AddMeter("Microsoft.Orleans", EncoderMetrics.MeterName, ServiceMetrics.MeterName, LlmMetrics.MeterName, PGenRM.Grains.Derived.DerivedStatsMetrics.MeterName, CacheMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Microsoft.Orleans.Application", "Microsoft.Orleans.Storage", "Azure.*"));
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            otel.UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, new Uri(options.OtlpEndpoint));
        }
        else if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            otel.UseOtlpExporter();
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (options.Clustering == "AzureTable" && options.KubernetesHosting)
            {
                // In a pod: Orleans' Kubernetes hosting takes the advertised address from POD_IP, the silo name from
                // POD_NAME, ServiceId/ClusterId from ORLEANS_SERVICE_ID/ORLEANS_CLUSTER_ID (deploy/k8s sets them from
                // the pod's labels) and removes silos whose pods are gone; membership stays in the storage account.
                silo.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = options.SiloPort;
                    o.GatewayPort = options.GatewayPort;
                });
                silo.UseKubernetesHosting();
                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage));
            }
            else if (options.Clustering == "AzureTable")
            {
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort);
                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage));
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, null, options.ServiceId, options.ClusterId);
            }

            // Storage names, kinds and the serializer as docs/STORAGE.md sets them (the grain tests use the same).
            silo.AddPGenRMStorage(storage);
            silo.AddActivityPropagation();
            silo.Services.AddSingleton(sp => new OnnxSentenceEncoder(null, sp.GetService<ILogger<OnnxSentenceEncoder>>()));
            silo.Services.AddSingleton<ISentenceEncoder>(sp => sp.GetRequiredService<OnnxSentenceEncoder>());
            silo.Services.AddSingleton(sp => new CacheSource("embedding", () =>
            {
                var encoder = sp.GetRequiredService<OnnxSentenceEncoder>();
                return new CacheCounts(encoder.CacheHits, encoder.CacheMisses, encoder.CacheEvictions, encoder.CacheCount);
            }));
            silo.Services.AddSingleton(LlmEndpointsConfiguration.Read(builder.Configuration));
            silo.Services.AddPGenRMGrains();
            if (options.Dashboard)
            {
                silo.AddDashboard();
            }
        });
    }

    private static void ConfigurePipeline(WebApplication app, ServiceOptions options)
    {
        app.UseMiddleware<ErrorHandling>();
        app.UseStatusCodePages(async context =>
        {
            // Unmatched routes and methods: problem details instead of an empty body.
            var http = context.HttpContext;
            int status = http.Response.StatusCode;
            await ErrorHandling.WriteAsync(http, status, status == 404 ? "Not found" : "Request failed",
                status == 404 ? $"No endpoint at {http.Request.Method} {http.Request.Path}." : $"{http.Request.Method} {http.Request.Path} failed with status {status}.");
        });
        app.UseConsole();
        if (options.Dashboard)
        {
            app.UseWhen(c => c.Request.Path.StartsWithSegments(DashboardAccess.Path), branch => branch.UseMiddleware<DashboardAccess>());
        }

        app.UseRouting();
        app.UseMiddleware<ApiKeyAuthentication>();
        app.UseRateLimiter();
        app.UseMiddleware<TransientRetry>();
        app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        app.MapPGenRMApi();
        if (options.Dashboard)
        {
            // Not part of the API: its own UI and JSON, behind DashboardAccess.
            app.MapOrleansDashboard(DashboardAccess.Path).ExcludeFromDescription();
        }
    }

    private static TokenBucketRateLimiterOptions TokenBucket(double rps)
    {
        // Integer tokens per period: a one-second bucket at or above 1 request/s, one token per 1/rps seconds below.
        // Clamped to the accepted range, so that no stored value (one from before the range existed) can overflow the
        // period or the token count and make every request of the tenant fail.
        rps = double.IsNaN(rps) ? TenantSettings.MinRequestsPerSecond : Math.Clamp(rps, TenantSettings.MinRequestsPerSecond, TenantSettings.MaxRequestsPerSecond);
        bool slow = rps < 1;
        int tokens = slow ? 1 : (int)Math.Ceiling(rps);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = slow ? TimeSpan.FromSeconds(1 / rps) : TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static string AdminKeyHash(ServiceOptions options, TextWriter console)
    {
        if (!string.IsNullOrEmpty(options.AdminKey))
        {
            return ApiKeys.Hash(options.AdminKey);
        }

        string file = Path.Combine(options.DataDirectory, "admin-key.sha256");
        if (File.Exists(file))
        {
            string hash = File.ReadAllText(file).Trim();
            if (hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower))
            {
                return hash;
            }

            throw new ArgumentException($"{file} does not hold a SHA-256 hex hash; delete it to have a new admin key generated.", nameof(options));
        }

        string key = "admin." + ApiKeys.NewSecret();
        string created = ApiKeys.Hash(key);
        // Written whole under a temporary name and moved into place without overwriting: hosts starting together on
        // one folder agree on the first one's key, and none reads a half-written file.
        string temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, created + "\n");
        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary);
            return AdminKeyHash(options, console);
        }

        console.WriteLine($"PGenRM admin key (shown once; only its hash is kept in {Path.GetFullPath(file)}): {key}");
        return created;
    }

    /// <summary>
    /// Creates the demo tenant unless it exists. Idempotent and never fatal: silos starting together race for it (the
    /// loser's TenantExistsException means the winner created it), and a creation that timed out may have happened
    /// (the tenant grain waits for its silo's evaluator, which takes long on a busy machine), so attempts repeat with the
    /// same key and a tenant holding this key's hash counts as created here. Transient failures are retried for up to
    /// two minutes; after that the host runs without printing a demo key (logged) rather than exiting.
    /// </summary>
    private static async Task<string?> EnsureDemoTenantAsync(WebApplication app, ServiceOptions options, TextWriter console, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.DemoTenant))
        {
            return null;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PGenRMHost));
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<ITenantGrain>(GrainKeys.Tenant(options.DemoTenant));
        string key = ApiKeys.NewTenantKey(options.DemoTenant);
        string hash = ApiKeys.Hash(key);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await grain.GetAsync(cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    await grain.CreateAsync(new TenantSettings(), hash, cancellationToken).ConfigureAwait(false);
                }
                else if (!existing.ApiKeyHashes.Contains(hash))
                {
                    return null;
                }

                break;
            }
            catch (TenantExistsException)
            {
                // Another silo won the race (its key was printed there), or an earlier attempt of ours did: look again.
            }
            catch (Exception e) when (TransientErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                if (waited.Elapsed > TimeSpan.FromMinutes(2))
                {
                    LogDemoTenantFailed(logger, e, options.DemoTenant);
                    return null;
                }

                LogDemoTenantRetry(logger, options.DemoTenant, attempt, e.Message);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Min(attempt, 10)), cancellationToken).ConfigureAwait(false);
        }

        await console.WriteLineAsync($"PGenRM demo tenant '{options.DemoTenant}' created; its API key (shown once, stored hashed): {key}").ConfigureAwait(false);
        return key;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Creating the demo tenant '{Tenant}' failed transiently (attempt {Attempt}: {Reason}); retrying")]
    private static partial void LogDemoTenantRetry(ILogger logger, string tenant, int attempt, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "The demo tenant '{Tenant}' could not be created within two minutes; running without it (create it with POST /v1/tenants)")]
    private static partial void LogDemoTenantFailed(ILogger logger, Exception exception, string tenant);
}
