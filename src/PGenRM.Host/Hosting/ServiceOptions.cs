namespace PGenRM.Host.Hosting;

/// <summary>
/// The service's settings, bound from the configuration section <see cref="Section"/> (appsettings.json, environment
/// variables such as <c>PGenRM__Storage__ConnectionString</c>, command-line <c>--PGenRM:...</c>). Every default is the
/// embedded single-process setup on loopback.
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "PGenRM";

    /// <summary>Folder for local state: Azurite's data, the admin key hash. Relative paths are from the working directory.</summary>
    public string DataDirectory { get; set; } = ".pgenrm";

    /// <summary>Azure Storage connection string; empty = start Azurite from tools/azurite with its data in <see cref="DataDirectory"/>.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Ports of the embedded Azurite (blob, queue, table); 0 = a free port chosen at start.</summary>
    public int AzuriteBlobPort { get; set; } = 10000;

    /// <summary>Queue port of the embedded Azurite; 0 = free port.</summary>
    public int AzuriteQueuePort { get; set; } = 10001;

    /// <summary>Table port of the embedded Azurite; 0 = free port.</summary>
    public int AzuriteTablePort { get; set; } = 10002;

    /// <summary>"Localhost" (one silo, no membership table) or "AzureTable" (membership in the storage account).</summary>
    public string Clustering { get; set; } = "Localhost";

    /// <summary>Orleans cluster id.</summary>
    public string ClusterId { get; set; } = "pgenrm";

    /// <summary>Orleans service id (part of every stored grain's key: keep it stable).</summary>
    public string ServiceId { get; set; } = "pgenrm";

    /// <summary>Address the silo advertises to other silos and clients (AzureTable clustering).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Admin key for creating tenants; empty = generate one at first run, print it once and keep its hash in <see cref="DataDirectory"/>.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Tenant created at first run (its key is printed once); empty = none.</summary>
    public string? DemoTenant { get; set; } = "demo";

    /// <summary>Largest request body in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Separator between prompt and response in /get_reward queries when no "prompts" are given.</summary>
    public string RewardPromptSeparator { get; set; } = "\n\nAssistant:";

    /// <summary>OTLP endpoint (for example http://127.0.0.1:4318); empty = no OTLP export (the standard OTEL_EXPORTER_OTLP_ENDPOINT also enables it).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Failed authentications allowed per client address and minute; above it 429 until the minute ends.</summary>
    public int AuthFailuresPerMinute { get; set; } = 60;

    /// <summary>Orleans' Kubernetes hosting (pod name, IP and labels from the environment; silos of deleted pods are
    /// removed); needs <see cref="Clustering"/> "AzureTable". Set by deploy/k8s.</summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>Serve the Orleans dashboard at /dashboard (admin key only).</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string message)
        {
            if (!ok)
            {
                throw new ArgumentException($"{Section}:{name} {message}", name);
            }
        }

        Check(!string.IsNullOrWhiteSpace(DataDirectory), nameof(DataDirectory), "must be set.");
        Check(Clustering is "Localhost" or "AzureTable", nameof(Clustering), $"must be 'Localhost' or 'AzureTable', got '{Clustering}'.");
        Check(!KubernetesHosting || Clustering == "AzureTable", nameof(KubernetesHosting), "needs PGenRM:Clustering=AzureTable (the membership table).");
        foreach (var (name, port) in new[] { (nameof(AzuriteBlobPort), AzuriteBlobPort), (nameof(AzuriteQueuePort), AzuriteQueuePort), (nameof(AzuriteTablePort), AzuriteTablePort), (nameof(SiloPort), SiloPort), (nameof(GatewayPort), GatewayPort) })
        {
            Check(port is >= 0 and <= 65535, name, $"must be a port number (0–65535), got {port}.");
        }

        Check(System.Net.IPAddress.TryParse(AdvertisedAddress, out _), nameof(AdvertisedAddress), $"must be an IP address, got '{AdvertisedAddress}'.");
        Check(!string.IsNullOrWhiteSpace(ClusterId), nameof(ClusterId), "must be set.");
        Check(!string.IsNullOrWhiteSpace(ServiceId), nameof(ServiceId), "must be set.");
        Check(MaxRequestBodyBytes >= 1024, nameof(MaxRequestBodyBytes), $"must be at least 1024, got {MaxRequestBodyBytes}.");
        Check(AuthFailuresPerMinute is >= 1 and <= 1_000_000, nameof(AuthFailuresPerMinute), $"must be in [1, 1000000], got {AuthFailuresPerMinute}.");
        Check(!string.IsNullOrEmpty(RewardPromptSeparator), nameof(RewardPromptSeparator), "must not be empty.");
        Check(AdminKey is null || AdminKey.Length == 0 || AdminKey.Length >= 16, nameof(AdminKey), "must be at least 16 characters.");
        Check(string.IsNullOrEmpty(DemoTenant) || Grains.Abstractions.GrainKeys.IsValidTenant(DemoTenant), nameof(DemoTenant), $"'{DemoTenant}' is not a valid tenant id.");
        Check(string.IsNullOrEmpty(OtlpEndpoint) || Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _), nameof(OtlpEndpoint), $"'{OtlpEndpoint}' is not an absolute URI.");
    }
}
