namespace Company.Service1.Platform.Hosting;

/// <summary>
/// Where <c>/metrics</c> is served: on its own port (the default), or on the application port when
/// <c>Management:Port</c> names one of the application's ports.
/// </summary>
public sealed class ManagementPort
{
    private ManagementPort(int port, IReadOnlyList<BindingAddress> appAddresses)
    {
        Port = port;
        AppAddresses = appAddresses;
        IsSeparate = appAddresses.All(address => address.Port != port);
    }

    public int Port { get; }

    /// <summary>The application's own addresses, as the operator configured them.</summary>
    public IReadOnlyList<BindingAddress> AppAddresses { get; }

    /// <summary>False when the management port is also an application port: then everything is served on it.</summary>
    public bool IsSeparate { get; }

    /// <summary>True when the request arrived on the management listener.</summary>
    public bool Accepts(HttpContext context) => IsSeparate && context.Connection.LocalPort == Port;

    internal static ManagementPort From(IConfiguration configuration, string? urls, string? httpPorts)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Read now, validated, because it decides what Kestrel binds: a bad port stops the service with one line.
        var options = (configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new()).ThrowIfInvalid(new ManagementOptionsValidator());
        return new ManagementPort(options.Port, AppAddressesFrom(urls, httpPorts, configuration["https_ports"]));
    }

    /// <summary>ASPNETCORE_URLS / --urls win over ASPNETCORE_HTTP_PORTS, as in ASP.NET Core itself.</summary>
    internal static IReadOnlyList<BindingAddress> AppAddressesFrom(string? urls, string? httpPorts, string? httpsPorts = null)
    {
        string[] entries = !string.IsNullOrWhiteSpace(urls)
            ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. Ports(httpPorts).Select(p => $"http://*:{p}"), .. Ports(httpsPorts).Select(p => $"https://*:{p}")];
        var addresses = new List<BindingAddress>(entries.Length);
        foreach (var entry in entries)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(entry);
            }
            catch (FormatException)
            {
                throw new ConfigurationException($"'{entry}' is not a valid listening address (ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS).");
            }

            if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase) || address.IsUnixPipe)
            {
                throw new ConfigurationException(
                    $"'{entry}': with a separate management port only plain http:// TCP addresses are supported; terminate TLS in front of the service.");
            }

            addresses.Add(address);
        }

        return addresses;
    }

    private static string[] Ports(string? list) =>
        (list ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
