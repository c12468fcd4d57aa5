using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

[Trait("Category", "Unit")]
public sealed class GrainKeysTests
{
    [Fact]
    public void User_FormatsAndParsesTenantAndId()
    {
        string key = GrainKeys.User("acme-1", "user 42@x");
        Assert.Equal("acme-1/user 42@x", key);
        Assert.Equal(("acme-1", "user 42@x"), GrainKeys.Parse(key));
    }

    [Fact]
    public void Prototype_RoundTripsTheNumber()
    {
        Assert.Equal(("t", 7), GrainKeys.ParsePrototype(GrainKeys.Prototype("t", 7)));
        Assert.Throws<FormatException>(() => GrainKeys.ParsePrototype("t/x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a_b")]
    [InlineData("ünicode")]
    public void Tenant_RejectsInvalidIds(string tenant)
    {
        Assert.Throws<ArgumentException>(() => GrainKeys.User(tenant, "u"));
        Assert.Throws<ArgumentException>(() => GrainKeys.Tenant(tenant));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("a\nb")]
    public void Entity_RejectsInvalidIds(string id)
    {
        Assert.Throws<ArgumentException>(() => GrainKeys.Item("t", id));
        Assert.Throws<FormatException>(() => GrainKeys.Parse("t/" + id));
    }

    [Fact]
    public void Entity_RejectsOverlongIds()
    {
        Assert.Equal(GrainKeys.MaxEntityLength + 2, GrainKeys.User("t", new string('u', GrainKeys.MaxEntityLength)).Length);
        Assert.Throws<ArgumentException>(() => GrainKeys.User("t", new string('u', GrainKeys.MaxEntityLength + 1)));
        Assert.Throws<ArgumentException>(() => GrainKeys.Tenant(new string('t', GrainKeys.MaxTenantLength + 1)));
    }

    [Fact]
    public void Parse_RejectsKeysWithoutSeparator() => Assert.Throws<FormatException>(() => GrainKeys.Parse("tenant-only"));
}
