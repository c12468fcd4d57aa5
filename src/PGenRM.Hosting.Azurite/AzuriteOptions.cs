namespace PGenRM.Hosting.Azurite;

/// <summary>How <see cref="AzuriteProcess.StartAsync"/> runs Azurite.</summary>
public sealed class AzuriteOptions
{
    /// <summary>
    /// Data folder (created if missing), with a pid file so that a later start stops an Azurite left running on it;
    /// stopped with SIGTERM first so that Azurite saves its data; Azurite's output goes to
    /// <see cref="AzuriteProcess.LogFileName"/> there. Null: in memory, stopped with SIGKILL.
    /// </summary>
    public string? DataFolder { get; init; }

    /// <summary>Blob service port; 0 = a free port.</summary>
    public int BlobPort { get; init; }

    /// <summary>Queue service port; 0 = a free port.</summary>
    public int QueuePort { get; init; }

    /// <summary>Table service port; 0 = a free port.</summary>
    public int TablePort { get; init; }

    /// <summary>
    /// Runs Azurite in a session of its own (setsid, where present), so that Ctrl+C in a terminal does not reach it
    /// and its owner can stop it last.
    /// </summary>
    public bool OwnSession { get; init; }

    /// <summary>Appended to the errors a user can fix by configuration (a port in use, no checkout found).</summary>
    public string? ConfigurationHint { get; init; }
}
