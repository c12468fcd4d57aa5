namespace PGenRM.Scale;

/// <summary>What a counted storage request was (<see cref="RequestCounter"/>).</summary>
internal enum RequestKind
{
    /// <summary>A point read or a query page.</summary>
    Read,

    /// <summary>A write of one entity (insert, update, delete, table creation).</summary>
    Write,

    /// <summary>An entity-group transaction (up to 100 writes of one partition).</summary>
    Transaction,
}
