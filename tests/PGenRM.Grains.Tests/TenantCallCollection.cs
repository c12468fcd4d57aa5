namespace PGenRM.Grains.Tests;

/// <summary>Tests on the <see cref="TenantCallFixture"/> cluster.</summary>
[CollectionDefinition(Name)]
public sealed class TenantCallCollection : ICollectionFixture<TenantCallFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = nameof(TenantCallCollection);
}
