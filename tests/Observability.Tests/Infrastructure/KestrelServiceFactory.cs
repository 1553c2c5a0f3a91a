using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Observability.Tests.Infrastructure;

/// <summary>
/// The service in-process on real Kestrel sockets: an application port and a management port on 127.0.0.1, so
/// tests see which listener answers what. No drain delay, no rate limit and no authentication, as in the other
/// in-process tests.
/// </summary>
public sealed class KestrelServiceFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public KestrelServiceFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool onePort = false)
    {
        AppPort = FreePort.Next();
        ManagementPort = onePort ? AppPort : FreePort.Next();
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        UseKestrel();
    }

    public int AppPort { get; }

    public int ManagementPort { get; }

    public HttpClient App { get; } = NewClient();

    public HttpClient Management { get; } = NewClient();

    /// <summary>Starts the server and points the two clients at its ports.</summary>
    public KestrelServiceFactory Start()
    {
        StartServer();
        App.BaseAddress = new Uri($"http://127.0.0.1:{AppPort}");
        Management.BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}");
        return this;
    }

    /// <summary>
    /// A client that sends the trace context a test puts on a request as it is. The service's own HttpClient
    /// instrumentation runs in this process too and would otherwise replace it with a context of its own.
    /// </summary>
    public static HttpClient NewClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { Timeout = TimeSpan.FromSeconds(30) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("urls", $"http://127.0.0.1:{AppPort}");
        builder.UseSetting("Management:Port", ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Drain:DelaySeconds", "0");
        builder.UseSetting("Drain:TimeoutSeconds", "5");
        builder.UseSetting("RateLimit:PermitsPerSecond", "0");
        builder.UseSetting("RateLimit:PermitsPerClientPerSecond", "0");
        builder.UseSetting("Authentication:Disabled", "true");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            App.Dispose();
            Management.Dispose();
        }

        base.Dispose(disposing);
    }
}
