using System.Text.Json;
using System.Text.Json.Serialization;
using PGenRM.Core.Chains;

namespace PGenRM.Grains;

/// <summary>
/// The evaluation chain as plain JSON for <see cref="Abstractions.ScoreResponse.ChainJson"/> (System.Text.Json, camelCase,
/// source-generated: no reflection). PaperChainFormat's marker-delimited text is the paper's shape, not JSON, so it is not used here.
/// </summary>
public static class ChainJson
{
    /// <summary>Serializes the chain.</summary>
    public static string Serialize(EvaluationChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return JsonSerializer.Serialize(chain, ChainJsonContext.Default.EvaluationChain);
    }

    /// <summary>Reads a chain written by <see cref="Serialize"/>.</summary>
    public static EvaluationChain Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, ChainJsonContext.Default.EvaluationChain)
            ?? throw new JsonException("The chain JSON is null.");
    }
}

/// <summary>Source-generated serializer metadata for <see cref="ChainJson"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EvaluationChain))]
internal sealed partial class ChainJsonContext : JsonSerializerContext;
