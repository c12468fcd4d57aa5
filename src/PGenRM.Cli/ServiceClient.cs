using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace PGenRM.Cli;

/// <summary>
/// A small client of the service's HTTP API for the CLI (it does not reach into the host's internals). The tenant is
/// the part of the key before the first '.', as the service issues keys.
/// </summary>
internal sealed class ServiceClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="server">The service.</param>
    /// <param name="key">A tenant key, or the admin key when <paramref name="admin"/> (then <see cref="Tenant"/> is empty).</param>
    /// <param name="admin">Whether <paramref name="key"/> is the admin key (any form the operator configured).</param>
    public ServiceClient(Uri server, string key, bool admin = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        if (!admin && dot <= 0)
        {
            throw new ArgumentException("The API key has no tenant part ('{tenant}.{secret}'); use the key the service printed or returned.", nameof(key));
        }

        Tenant = admin ? "" : key[..dot];
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>The key's tenant.</summary>
    public string Tenant { get; }

    /// <summary>Sends a request and returns the JSON body; a non-success status throws <see cref="ServiceException"/> with the problem detail.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement json = default;
        if (text.Length > 0 && text[0] is '{' or '[')
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }

        if (!response.IsSuccessStatusCode)
        {
            string detail = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("detail", out var d) ? d.GetString() ?? text : text;
            throw new ServiceException((int)response.StatusCode, detail);
        }

        return json;
    }

    /// <summary>The user's path under the key's tenant.</summary>
    public string UserPath(string user, string rest = "") => $"/v1/tenants/{Uri.EscapeDataString(Tenant)}/users/{Uri.EscapeDataString(user)}{rest}";

    public void Dispose() => _http.Dispose();
}
