using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.StatusPage;

/// <summary>
/// The page a person sees at <c>/</c>: version, commit, the blue-green slot as a colour, instance, uptime and
/// readiness per check, refreshed every second from <c>/status-page/state</c>. The HTML, script and style are embedded
/// in the binary (nothing is fetched from outside, it works in the chiseled and AOT images) and served under a
/// Content-Security-Policy that allows only the service's own files: no inline script, no other origin.
/// </summary>
/// <remarks>
/// Its requests are left out of the HTTP metrics, the completion log and tracing, like the probes (see
/// <see cref="IsStatusPage"/>): an open tab polls every second, which on a quiet service would dilute the SLO error
/// ratios (they sum every route) and scroll the terminal a person is reading. Unlike the probes they are rate
/// limited: each poll runs the readiness checks, and the chart can route the page publicly.
/// </remarks>
public static class StatusPageEndpoints
{
    public const string PagePath = "/";
    public const string AssetsPrefix = "/status-page";
    public const string StatePath = AssetsPrefix + "/state";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var services = routes.ServiceProvider;
        var info = services.GetRequiredService<BuildInfo>();
        var reference = services.GetRequiredService<IOptions<ApiReferenceOptions>>().Value;
        var dashboard = services.GetRequiredService<IOptions<StatusPageOptions>>().Value.DashboardUrl;
        var apiReference = reference.IsEnabled(services.GetRequiredService<IHostEnvironment>()) ? reference.DocumentPage : null;
        var instance = services.GetRequiredService<IConfiguration>()[TelemetryResource.PodNameVariable] is { Length: > 0 } pod ? pod : Environment.MachineName;
        var time = services.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();

        MapAsset(routes, PagePath, "index.html", "text/html; charset=utf-8");
        MapAsset(routes, AssetsPrefix + "/status-page.js", "status-page.js", "text/javascript; charset=utf-8");
        MapAsset(routes, AssetsPrefix + "/status-page.css", "status-page.css", "text/css; charset=utf-8");
        routes.MapGet(StatePath, async (HealthCheckService health, DrainState drain, HttpContext context) =>
        {
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), context.RequestAborted);
            var draining = drain.IsDraining;
            var checks = report.Entries
                .Select(e => new StatusPageCheck(e.Key, e.Value.Status == HealthStatus.Unhealthy
                    ? draining && e.Key == HealthEndpoints.DrainCheck ? Draining : NotReady
                    : Ready))
                .ToList();
            var readiness = draining ? Draining : report.Status == HealthStatus.Unhealthy ? NotReady : Ready;
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(
                new StatusPageState(info.Version, info.Commit, info.Slot, instance, (long)time.GetElapsedTime(started).TotalSeconds,
                    readiness, checks, apiReference, OpenApiEndpoints.DocumentPath, dashboard),
                StatusPageJsonContext.Default.StatusPageState);
        }).ExcludeFromDescription();
        return routes;
    }

    /// <summary>True for the page, its files and its state: see the remarks on why they are not counted.</summary>
    public static bool IsStatusPage(PathString path) =>
        path.Equals(PagePath, StringComparison.Ordinal) || path.StartsWithSegments(AssetsPrefix, StringComparison.OrdinalIgnoreCase);

    private const string Ready = "ready";
    private const string NotReady = "not ready";
    private const string Draining = "draining";

    private static void MapAsset(IEndpointRouteBuilder routes, string path, string name, string contentType)
    {
        var content = Embedded(name);
        routes.MapGet(path, (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            // Revalidated on every load, so a new release's page is never mixed with the old one's script.
            headers.CacheControl = "no-cache";
            return TypedResults.Bytes(content, contentType);
        }).ExcludeFromDescription();
    }

    private static byte[] Embedded(string name)
    {
        using var stream = typeof(StatusPageEndpoints).Assembly.GetManifestResourceStream("StatusPage." + name)
            ?? throw new InvalidOperationException($"The status page's {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
