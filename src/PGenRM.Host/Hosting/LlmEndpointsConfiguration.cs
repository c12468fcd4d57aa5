using System.Globalization;
using PGenRM.Evaluators.Llm;

namespace PGenRM.Host.Hosting;

/// <summary>
/// Reads the judge endpoints from configuration: <c>PGenRM:Llm:Endpoints:{name}:Endpoint</c> (base URL with /v1),
/// <c>:ApiKey</c> (from a secret or environment variable, e.g. <c>PGenRM__Llm__Endpoints__vllm__ApiKey</c>),
/// <c>:AttemptTimeoutSeconds</c>, <c>:TotalTimeoutSeconds</c>, <c>:MaxRetries</c>; or, for a judge run on the silo itself
/// by ONNX Runtime GenAI, <c>:ModelPath</c> (the model folder) and <c>:ExecutionProvider</c> (<c>cuda</c> or <c>cpu</c>).
/// Tenants name an endpoint; the key stays here.
/// </summary>
internal static class LlmEndpointsConfiguration
{
    public const string Section = "PGenRM:Llm:Endpoints";

    public static LlmEndpoints Read(IConfiguration configuration)
    {
        var defaults = new LlmEndpointOptions();
        var endpoints = configuration.GetSection(Section).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c["Endpoint"]) || !string.IsNullOrWhiteSpace(c["ModelPath"]))
            .Select(c => new LlmEndpointOptions
            {
                Name = c.Key,
                Endpoint = string.IsNullOrWhiteSpace(c["Endpoint"]) ? defaults.Endpoint : new Uri(c["Endpoint"]!, UriKind.Absolute),
                ModelPath = string.IsNullOrWhiteSpace(c["ModelPath"]) ? null : c["ModelPath"],
                ExecutionProvider = string.IsNullOrWhiteSpace(c["ExecutionProvider"]) ? null : c["ExecutionProvider"],
                ApiKey = c["ApiKey"],
                AttemptTimeout = Seconds(c["AttemptTimeoutSeconds"]) ?? defaults.AttemptTimeout,
                TotalTimeout = Seconds(c["TotalTimeoutSeconds"]) ?? defaults.TotalTimeout,
                MaxRetries = c["MaxRetries"] is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : defaults.MaxRetries,
            })
            .ToList();
        return new LlmEndpoints(endpoints);
    }

    private static TimeSpan? Seconds(string? value) =>
        value is null ? null : TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
