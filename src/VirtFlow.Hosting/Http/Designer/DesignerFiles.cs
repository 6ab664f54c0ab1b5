using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting.Http.Designer;

/// <summary>
/// Serves the built designer (<c>src/VirtFlow.Designer/dist</c>, copied next to the binary as <c>designer/</c>) at <c>/</c>:
/// its files without a key (they hold no data: everything the designer shows comes from the API with the user's key),
/// and <c>index.html</c> for any other path that is not the API's (<c>/api</c>, <c>/openapi</c>, <c>/healthz</c>), so a
/// reload of <c>/instances/ID</c> opens the app there. A missing asset (a path with an extension) is 404, not the page.
/// Runs before authentication: the API keeps its keys, the fallback policy never sees a designer path.
/// </summary>
public static class DesignerFiles
{
    /// <summary>The folder next to the binary the build copies the designer into.</summary>
    public const string DefaultFolder = "designer";

    private static readonly string[] ApiPrefixes = ["/api", "/openapi", "/healthz"];

    /// <summary>The folder to serve: <paramref name="configured"/> (relative to the current folder), or <c>designer/</c> next to the binary.</summary>
    public static string ResolveRoot(string? configured) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, DefaultFolder) : configured);

    /// <summary>Whether <paramref name="path"/> belongs to the API (never served from the designer's files).</summary>
    public static bool IsApiPath(PathString path) =>
        ApiPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds the designer's files to the pipeline when <paramref name="options"/> serves them and the folder holds an index.html.</summary>
    public static WebApplication UseVirtFlowDesigner(this WebApplication app, VirtFlowHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(options.Designer, VirtFlowHttpOptions.Off, StringComparison.OrdinalIgnoreCase)) return app;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DesignerFiles));
        var root = ResolveRoot(options.Designer);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            Log.DesignerMissing(logger, root);
            return app;
        }
        Log.DesignerServed(logger, root);
        var files = new PhysicalFileProvider(root);
        var staticFiles = new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                DesignerHeaders.ApplySecurity(context.Context.Response);
                DesignerHeaders.ApplyCaching(context.Context.Response, context.Context.Request.Path.Value ?? "/");
            },
        };
        app.UseWhen(context => IsDesignerRequest(context.Request), branch =>
        {
            branch.Use((context, next) =>
            {
                var path = context.Request.Path.Value ?? "/";
                // A page of the app (no extension, or a directory): its index.html; the app routes in the browser.
                if (path == "/" || !Path.HasExtension(path) || files.GetFileInfo(path).IsDirectory) context.Request.Path = "/index.html";
                return next(context);
            });
            branch.UseStaticFiles(staticFiles);
            // A file the build does not have: 404, with the same headers (no fall-through to the API's 401).
            branch.Run(context =>
            {
                DesignerHeaders.ApplySecurity(context.Response);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }

    private static bool IsDesignerRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !IsApiPath(request.Path);
}
