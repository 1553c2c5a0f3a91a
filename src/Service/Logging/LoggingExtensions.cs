using Serilog;
using Serilog.Extensions.Logging;
using Service.Hosting;

namespace Service.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// ECS JSON lines on stdout through Serilog. Levels stay with Microsoft.Extensions.Logging's filters
    /// (<c>Logging:LogLevel:&lt;namespace&gt;</c>), which reload with configuration at run time without a restart.
    /// </summary>
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? "service";
        var version = typeof(LoggingExtensions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.FromLogContext()
            // Failures the operator can fix are printed as one line by StartupFailure; no stack trace twice.
            .Filter.ByExcluding(e => e.Exception is not null && StartupFailure.IsReportable(e.Exception))
            .WriteTo.Console(new EcsJsonFormatter(serviceName, version, builder.Environment.EnvironmentName))
            .CreateLogger();
        builder.Logging.ClearProviders();
        // AddProvider rather than AddSerilog(): AddSerilog also adds a Trace-level rule for its provider,
        // which would override every Logging:LogLevel setting.
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger, dispose: true));
        return builder;
    }
}
