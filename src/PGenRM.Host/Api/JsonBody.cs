using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>
    /// How responses are written (nulls left out, enums as camelCase strings, readable text): applied to
    /// <see cref="Options"/> and to the host's HTTP JSON options, which <c>TypedResults</c> and the OpenAPI document use.
    /// </summary>
    public static void ConfigureWriting(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        // An API, not HTML: keep '+' and non-ASCII text readable instead of \u escapes.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(DetachStructDefaults);
    }

    /// <summary>
    /// A record parameter <c>TimeSpan X = default</c> (TenantSettings' ReclusterPeriod) reports a null default value,
    /// which System.Text.Json's schema exporter cannot write: it throws while the OpenAPI document is built. Such a
    /// property is written as the string System.Text.Json writes for a TimeSpan (constant format "c") through a property
    /// of type string at the same position, which no constructor parameter matches: the JSON is unchanged. These types
    /// are only written with these options, never read.
    /// </summary>
    private static void DetachStructDefaults(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        // Read from the constructor: JsonPropertyInfo.AssociatedParameter is set only after the modifiers ran.
        var detached = typeInfo.Type.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Where(p => p.HasDefaultValue && p.DefaultValue is null && p.ParameterType == typeof(TimeSpan))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < typeInfo.Properties.Count; i++)
        {
            var property = typeInfo.Properties[i];
            if (property.AttributeProvider is System.Reflection.MemberInfo member && detached.Contains(member.Name) && property.Get is { } get)
            {
                var text = typeInfo.CreateJsonPropertyInfo(typeof(string), property.Name);
                text.Get = value => ((TimeSpan)get(value)!).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
                typeInfo.Properties[i] = text;
            }
        }
    }

    /// <summary>Deserializes the body as <typeparamref name="T"/>, within the host's body limit.</summary>
    public static Task<T> ReadAsync<T>(HttpContext context)
        where T : class =>
        ReadAsync<T>(context, context.RequestServices.GetRequiredService<Hosting.ServiceOptions>().MaxRequestBodyBytes);

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

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            // {"id":"a","id":"b"} would otherwise keep the last one silently.
            AllowDuplicateProperties = false,
            RespectNullableAnnotations = true,
        };
        ConfigureWriting(options);
        return options;
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
