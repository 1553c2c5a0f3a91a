using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Company.Service1.Platform.Hosting;

public static class ListeningPort
{
    public const int Default = 8080;

    /// <summary>
    /// Listens on 8080 unless the operator chose an address (ASPNETCORE_HTTP_PORTS, ASPNETCORE_URLS or --urls):
    /// the same port in a container, on a VM and under <c>dotnet run</c>, which is what the chart and probes expect.
    /// Also opens the management port (<see cref="ManagementOptions.Port"/>) for <c>/metrics</c>, unless it is one
    /// of the application ports.
    /// </summary>
    public static WebApplicationBuilder AddListeningPort(this WebApplicationBuilder builder)
    {
        var urls = builder.Configuration["urls"];
        var httpPorts = builder.Configuration["http_ports"];
        if (string.IsNullOrWhiteSpace(urls) && string.IsNullOrWhiteSpace(httpPorts) && string.IsNullOrWhiteSpace(builder.Configuration["https_ports"]))
        {
            httpPorts = Default.ToString(CultureInfo.InvariantCulture);
            builder.WebHost.UseSetting("http_ports", httpPorts);
        }

        var management = ManagementPort.From(builder.Configuration, urls, httpPorts);
        builder.Services.AddSingleton(management);
        if (management.IsSeparate)
        {
            // Listen* in code makes Kestrel ignore the configured URLs, so the application addresses the operator
            // configured are bound here explicitly, next to the management port; the settings are cleared so Kestrel
            // does not warn that it overrides them.
            builder.WebHost.UseSetting("urls", "");
            builder.WebHost.UseSetting("http_ports", "");
            builder.WebHost.UseSetting("https_ports", "");
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                foreach (var address in management.AppAddresses)
                {
                    Listen(kestrel, address);
                }

                kestrel.ListenAnyIP(management.Port);
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress address)
    {
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port);
        }
        else
        {
            // "*", "+" and host names mean every interface, as they do for ASPNETCORE_URLS.
            kestrel.ListenAnyIP(address.Port);
        }
    }
}
