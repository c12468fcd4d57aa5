namespace PGenRM.Host.Api.Endpoints;

/// <summary>Declares a route's JSON request body for the OpenAPI document (<see cref="JsonRequestBody"/>).</summary>
internal static class JsonRequestBodyExtensions
{
    /// <summary>The route reads a <typeparamref name="T"/> JSON body.</summary>
    public static RouteHandlerBuilder ReadsJson<T>(this RouteHandlerBuilder builder)
        where T : class =>
        builder.WithMetadata(new JsonRequestBody(typeof(T)));
}
