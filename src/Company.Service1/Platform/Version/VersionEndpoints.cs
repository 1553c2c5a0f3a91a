using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Version;

public static class VersionEndpoints
{
    public static WebApplicationBuilder AddBuildInfo(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => BuildInfo.Stamped with { Slot = sp.GetRequiredService<IOptions<ServiceOptions>>().Value.Slot });
        builder.AddApiExample(new BuildInfo("1.4.2", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "blue"), ServiceJsonContext.Default.BuildInfo);
        return builder;
    }

    /// <summary><c>GET /version</c>: tells blue from green and one release from the next.</summary>
    public static IEndpointRouteBuilder MapVersion(this IEndpointRouteBuilder routes)
    {
        // Resolved once: it never changes while the process runs, so no request needs to ask the container for it.
        var info = routes.ServiceProvider.GetRequiredService<BuildInfo>();
        routes.MapGet("/version", () => TypedResults.Ok(info)).WithTags("Service");
        return routes;
    }
}
