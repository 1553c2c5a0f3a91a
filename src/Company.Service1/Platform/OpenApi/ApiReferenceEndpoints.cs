using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Company.Service1.Platform.OpenApi;

/// <summary>
/// The interactive API reference (Scalar), rendered in the browser from <see cref="OpenApiEndpoints.DocumentPath"/>.
/// Scalar's script and style are embedded in its package and served next to the page, so it works offline.
/// Mapped only when <see cref="ApiReferenceOptions"/> turns it on (Development, by default).
/// </summary>
public static class ApiReferenceEndpoints
{

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var options = routes.ServiceProvider.GetRequiredService<IOptions<ApiReferenceOptions>>().Value;
        if (!options.IsEnabled(routes.ServiceProvider.GetRequiredService<IHostEnvironment>()))
        {
            return routes;
        }

        routes.MapScalarApiReference(options.Path, (scalar, context) =>
        {
            // Scalar starts itself from an inline script: a fresh nonce per response lets that one script run and no
            // other. Its components set inline styles, so style-src is relaxed here, on this path only.
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            scalar.WithNonce(nonce);
            context.Response.Headers.ContentSecurityPolicy =
                $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
                "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            scalar.AddDocument(OpenApiEndpoints.DocumentName, routePattern: OpenApiEndpoints.DocumentPath)
                .WithTitle("Company.Service1 API reference")
                // Nothing leaves the machine: no web fonts, no usage telemetry, no AI agent, no hosted-service toolbar.
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools();
        });
        return routes;
    }
}
