using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using PGenRM.Grains.Abstractions;
using PGenRM.Host.Api;

namespace PGenRM.Api.Tests;

/// <summary>The API's JSON options write what plain System.Text.Json writes, and their types have a JSON schema.</summary>
public sealed class JsonBodyTests
{
    [Fact]
    public void TenantSettings_WrittenAsBeforeAndHasASchema()
    {
        var settings = new TenantSettings() with { ReclusterPeriod = TimeSpan.FromSeconds(90), LlmModel = "m" };
        var plain = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        string written = JsonSerializer.Serialize(settings, JsonBody.Options);
        Assert.Equal(JsonSerializer.Serialize(settings, plain), written);
        Assert.Contains("\"reclusterPeriod\":\"00:01:30\"", written, StringComparison.Ordinal);
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(JsonBody.Options, typeof(TenantSettings));
        Assert.Contains("\"string\"", schema["properties"]!["reclusterPeriod"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
