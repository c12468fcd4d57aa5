using System.Text.Json;
using System.Text.Json.Serialization;

namespace PGenRM.Host.Api;

/// <summary>
/// Reads request bodies: 415 for a Content-Type other than JSON, 413 above the size limit, 400 naming the JSON path for
/// malformed JSON, a wrong type, an unknown field (typos are errors, not silent defaults) or a key given twice, 400 for
/// an empty body. Property names match case-insensitively (ASP.NET Core's web defaults: "Query" is "query"); two keys
/// that differ only in case are a duplicate.
/// </summary>
internal static class JsonBody
{
    /// <summary>Options for requests and responses: camelCase, unknown members rejected, enums as strings.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // {"id":"a","id":"b"} would otherwise keep the last one silently.
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // An API, not HTML: keep '+' and non-ASCII text readable instead of \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Deserializes the body as <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context, long maxBytes)
        where T : class
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // No Content-Type is accepted (a body is JSON here); any other type than JSON is a 415, so that a form or text
        // body is not read as if it were JSON.
        if (context.Request.ContentType is { Length: > 0 } type && !IsJson(type))
        {
            throw new ApiException(415, "Unsupported media type", $"The body must be JSON ('Content-Type: application/json'), got '{Truncate(type)}'.");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Options, context.RequestAborted)
                   ?? throw new ApiException(400, "Invalid JSON", "The request body is 'null'; expected a JSON object.");
        }
        catch (JsonException e)
        {
            string path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : $"'{e.Path}'";
            throw new ApiException(400, "Invalid JSON", $"Invalid JSON at {path}: {FirstSentence(e.Message)}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
    }

    private static bool IsJson(string contentType)
    {
        string media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private static ApiException TooLarge(long maxBytes) =>
        new(413, "Request body too large", $"The request body exceeds the limit of {maxBytes} bytes.");

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $.x | LineNumber: ..." which repeats the path; keep the explanation only.
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
