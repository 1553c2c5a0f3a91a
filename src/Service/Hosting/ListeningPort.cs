namespace Service.Hosting;

public static class ListeningPort
{
    public const int Default = 8080;

    /// <summary>
    /// Listens on 8080 unless the operator chose an address (ASPNETCORE_HTTP_PORTS, ASPNETCORE_URLS or --urls):
    /// the same port in a container, on a VM and under <c>dotnet run</c>, which is what the chart and probes expect.
    /// </summary>
    public static WebApplicationBuilder AddListeningPort(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"] ?? builder.Configuration["https_ports"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            builder.WebHost.UseSetting("http_ports", Default.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }
}
