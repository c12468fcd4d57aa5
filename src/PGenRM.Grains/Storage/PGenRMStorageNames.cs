namespace PGenRM.Grains.Storage;

/// <summary>
/// Where <see cref="SiloBuilderStorageExtensions.AddPGenRMStorage"/> keeps each storage: three Azure tables, a blob
/// container, and the feedback log's table. <see cref="Default"/> is the service's; tests and benchmarks pass names unique to their run.
/// </summary>
/// <param name="UsersTable">Table of the "users" storage.</param>
/// <param name="ItemsTable">Table of the "items" storage.</param>
/// <param name="TenantsTable">Table of the "tenants" storage.</param>
/// <param name="PrototypesContainer">Blob container of the "prototypes" storage.</param>
/// <param name="FeedbackTable">Table of the feedback log; null = <see cref="UsersTable"/> + "Log".</param>
public sealed record PGenRMStorageNames(string UsersTable, string ItemsTable, string TenantsTable, string PrototypesContainer, string? FeedbackTable = null)
{
    /// <summary>The service's names (docs/STORAGE.md).</summary>
    public static PGenRMStorageNames Default { get; } = new("PGenRMUsers", "PGenRMItems", "PGenRMTenants", "pgenrm-prototypes", "PGenRMFeedback");

    /// <summary>The feedback log's table as used.</summary>
    public string LogTable => FeedbackTable ?? UsersTable + "Log";
}
