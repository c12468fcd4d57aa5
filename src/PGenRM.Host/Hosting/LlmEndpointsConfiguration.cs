using System.Globalization;
using PGenRM.Evaluators.Llm;

namespace PGenRM.Host.Hosting;

/// <summary>
/// Reads the judge endpoints from configuration: <c>PGenRM:Llm:Endpoints:{name}:Endpoint</c> (base URL with /v1),
/// <c>:ApiKey</c> (from a secret or environment variable, e.g. <c>PGenRM__Llm__Endpoints__vllm__ApiKey</c>),
/// <c>:AttemptTimeoutSeconds</c>, <c>:TotalTimeoutSeconds</c>, <c>:MaxRetries</c>. Tenants name an endpoint; the key stays here.
/// </summary>
internal static class LlmEndpointsConfiguration
{
    public const string Section = "PGenRM:Llm:Endpoints";

    public static LlmEndpoints Read(IConfiguration configuration)
    {
        var defaults = new LlmEndpointOptions();
        var endpoints = configuration.GetSection(Section).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c["Endpoint"]))
            .Select(c => new LlmEndpointOptions
            {
                Name = c.Key,
                Endpoint = new Uri(c["Endpoint"]!, UriKind.Absolute),
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
