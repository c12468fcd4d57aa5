namespace PGenRM.Grains.Abstractions;

/// <summary>Where a tenant's rebuild job stands (<see cref="RebuildJob.State"/>).</summary>
[GenerateSerializer, Alias("PGenRM.RebuildState")]
public enum RebuildState
{
    /// <summary>Replaying the feedback logs.</summary>
    Running = 0,

    /// <summary>Done: the derived statistics hold what the logs hold.</summary>
    Succeeded = 1,

    /// <summary>Stopped by an error (<see cref="RebuildJob.Error"/>); a new job may be started.</summary>
    Failed = 2,
}
