using System.Collections.Concurrent;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// The judge endpoints a silo knows, by name (from configuration <c>PGenRM:Llm:Endpoints:{name}</c>); tenants refer to
/// them by name only, so URLs and API keys never enter tenant state. Each endpoint's HTTP pipeline is built on first use
/// and shared.
/// </summary>
public sealed class LlmEndpoints : IDisposable
{
    private readonly Dictionary<string, LlmEndpointOptions> _options;
    private readonly ConcurrentDictionary<string, Lazy<LlmEndpoint>> _endpoints = new(StringComparer.Ordinal);

    /// <summary>Creates the registry (each option set validated).</summary>
    public LlmEndpoints(IEnumerable<LlmEndpointOptions> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _options = new Dictionary<string, LlmEndpointOptions>(StringComparer.Ordinal);
        foreach (var e in endpoints)
        {
            e.Validate();
            _options[e.Name] = e;
        }
    }

    /// <summary>The configured names.</summary>
    public IReadOnlyCollection<string> Names => _options.Keys;

    /// <summary>The endpoint named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No endpoint has that name on this silo.</exception>
    public LlmEndpoint Get(string name)
    {
        if (!_options.TryGetValue(name, out var options))
        {
            throw new ArgumentException(
                $"No LLM endpoint named '{name}' is configured on this silo (configuration PGenRM:Llm:Endpoints:{name}:Endpoint).", nameof(name));
        }

        return _endpoints.GetOrAdd(name, _ => new Lazy<LlmEndpoint>(() => new LlmEndpoint(options))).Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var e in _endpoints.Values.Where(e => e.IsValueCreated))
        {
            e.Value.Dispose();
        }
    }
}
