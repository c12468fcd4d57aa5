using System.Text.Json;
using System.Text.Json.Nodes;
using PGenRM.Core.Chains;
using PGenRM.Grains;
using PGenRM.Host.Api;

namespace PGenRM.Api.Tests;

/// <summary>The chain crosses the grain boundary as a record and is written once, at the edge, as Core's chain reads in JSON.</summary>
public sealed class ChainRecordTests
{
    [Fact]
    public void ChainRecord_WrittenByTheApi_IsCoresChainInJson()
    {
        var chain = new EvaluationChain(
            "Prefers short answers.",
            "chat",
            "Chat",
            [new RubricItem("concise", "Concise", 60, "Short."), new RubricItem("-concise", "Detailed", 40, "Long. \"Quoted\" + ü")],
            [new ResponseEvaluation(0, [7.5, 3], 6.1, 0.25), new ResponseEvaluation(1, [2, 9], 4.8, -0.5)],
            0,
            new ScalingTrace(3, 2, ["t/a", "t/b"], 0.75, 0.6, 0.4, ColdStart: false),
            "model-v1",
            "criteria-v1");

        // What the API wrote before the typed chain: Core's chain through System.Text.Json, camelCase.
        var before = JsonNode.Parse(JsonSerializer.Serialize(chain, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var now = JsonNode.Parse(JsonSerializer.Serialize(ChainRecords.From(chain), JsonBody.Options));
        Assert.True(JsonNode.DeepEquals(before, now), $"before: {before}\nnow: {now}");
    }
}
