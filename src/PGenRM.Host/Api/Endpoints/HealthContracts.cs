namespace PGenRM.Host.Api.Endpoints;

/// <summary>/health/live and /health/ready: "live", "ready" (with the model version) or "starting" (with why).</summary>
internal sealed record HealthResponse(string Status, string? ModelVersion = null, string? Detail = null);
