using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Logging.EventLog;

namespace Company.Service1.Platform.Hosting;

/// <summary>
/// One binary for every service manager: the Windows Service Control Manager, systemd, or none (a console, a
/// container). Each integration switches itself on only when the process really was started by that manager,
/// so running the binary by hand behaves exactly as before. Stopping goes through the host in every case
/// (SCM stop, systemd's SIGTERM, Ctrl+C, Kubernetes' SIGTERM), so <see cref="Shutdown.GracefulDrainService"/>
/// drains the same way everywhere. docs/hosting.md describes the installers and the stop timings.
/// </summary>
public static class ServiceManagerIntegration
{
    /// <summary>The Windows Event Log source the installer registers; must match deploy/windows/install.ps1.</summary>
    public const string EventLogSourceKey = "EventLog:SourceName";

    public const string DefaultEventLogSource = "Company.Service1";

    /// <summary>
    /// Options for the application builder. The content root (where appsettings*.json are read from) is the
    /// binary's own folder, not the working directory: the SCM starts services in %WINDIR%\System32, systemd and
    /// scripts start them anywhere, and a service that silently misses its settings file logs every request at
    /// Information. The content root cannot change once the builder exists, hence it is decided here.
    /// </summary>
    public static WebApplicationOptions BuilderOptions(string[] args) => new()
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    };

    /// <summary>
    /// Windows: SCM lifetime (service stop → the host stops → the drain runs) and Warning+ logs to the Event Log.
    /// systemd: <c>Type=notify</c> lifetime, READY=1 once the host started (Kestrel listens, startup checks
    /// done) and STOPPING=1 when the stop begins. Stdout keeps its ECS JSON lines, which journald stores as-is.
    /// </summary>
    public static WebApplicationBuilder AddServiceManagerIntegration(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddWindowsService();
        builder.Services.AddSystemd();
        if (OperatingSystem.IsWindows() && WindowsServiceHelpers.IsWindowsService())
        {
            var source = builder.Configuration[EventLogSourceKey] is { Length: > 0 } configured ? configured : DefaultEventLogSource;
            WarningsToEventLog(builder.Services, source);
        }

        return builder;
    }

    /// <summary>
    /// AddWindowsService added the Event Log provider; operators look there for what went wrong, so it gets
    /// warnings and errors only, under the source the installer registered (stdout keeps everything).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static void WarningsToEventLog(IServiceCollection services, string source) =>
        services.Configure<EventLogSettings>(settings =>
        {
            settings.SourceName = source;
            settings.LogName = "Application";
            settings.Filter = (_, level) => level >= LogLevel.Warning;
        });
}
