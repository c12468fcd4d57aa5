namespace PGenRM.Api.Tests.Reliability;

/// <summary>
/// Tests that start real host processes (crash, startup race, cluster): one at a time, so that they never run several
/// hosts and Azurites at once on a small CI machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    /// <summary>Collection name.</summary>
    public const string Name = nameof(ProcessCollection);
}
