using Microsoft.Extensions.FileProviders;

namespace PGenRM.Host.Hosting;

/// <summary>
/// Serves the web console (plain HTML, CSS and JavaScript in <c>Console/</c>, embedded in this assembly, so the host
/// needs no wwwroot beside it and nothing is fetched at run time) under <see cref="Path"/>, and sends <c>/</c> there.
/// </summary>
internal static class ConsoleAssets
{
    /// <summary>Where the console is served.</summary>
    public const string Path = "/console";

    // Everything the page loads comes from this host; API data is written as text, never as markup.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Adds the console's static files and redirects to the pipeline.</summary>
    public static void UseConsole(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(ConsoleAssets).Assembly, "PGenRM.Host.Console");
        app.MapGet("/", () => Results.Redirect(Path + "/")).ExcludeFromDescription();
        app.MapGet(Path, () => Results.Redirect(Path + "/")).ExcludeFromDescription();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Path), branch =>
        {
            branch.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // The assets change with the host version; a stale cached script would call an API that moved.
                headers.CacheControl = "no-cache";
                return next(context);
            });
            branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
            branch.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = Path });
        });
    }
}
