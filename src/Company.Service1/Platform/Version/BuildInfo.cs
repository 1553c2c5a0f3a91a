using System.Reflection;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Version;

/// <summary>What is running: the version and commit stamped at build time, and the configured slot.</summary>
public sealed record BuildInfo(string Version, string Commit, string Slot)
{
    public static BuildInfo From(Assembly assembly, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(options);
        // The SDK stamps "<Version>+<SourceRevisionId>" (pass -p:SourceRevisionId=$(git rev-parse HEAD) at publish).
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new BuildInfo(informational, "unknown", options.Slot)
            : new BuildInfo(informational[..plus], informational[(plus + 1)..], options.Slot);
    }
}

public static class VersionEndpoint
{
    public static WebApplicationBuilder AddBuildInfo(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => BuildInfo.From(typeof(BuildInfo).Assembly, sp.GetRequiredService<IOptions<ServiceOptions>>().Value));
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
