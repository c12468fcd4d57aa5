namespace PGenRM.Api.Tests;

/// <summary>Tests sharing one <see cref="ApiFixture"/> (one host and one Azurite).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = nameof(ApiCollection);
}
