using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// Endpoint metadata: the handler reads a JSON body of <see cref="Type"/> itself (<see cref="JsonBody.ReadAsync{T}(HttpContext)"/>,
/// for its exact 413/415/400 answers). Unlike <c>Accepts&lt;T&gt;</c>, it does not make routing filter on the
/// Content-Type; the OpenAPI document gets the request body from it (<see cref="DescribeAsync"/>).
/// </summary>
/// <param name="Type">The request record.</param>
internal sealed record JsonRequestBody(Type Type)
{
    /// <summary>Adds the request body of operations whose endpoint has this metadata.</summary>
    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBody>().FirstOrDefault() is not { } body)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [ApiEndpoints.JsonContentType] = new() { Schema = schema } },
        };
    }
}
