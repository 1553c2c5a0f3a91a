using System.Globalization;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Extensions.Logging;
using Serilog.Sinks.OpenTelemetry;

namespace Company.Service1.Platform.Logging;

public static class LoggingExtensions
{
    public const string StdoutSinkName = "stdout";

    private const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj} {TraceId}{NewLine}{Exception}";

    private const int TextBufferLines = 1_000;

    private const int OtlpLogQueueLimit = 2_000;

    /// <summary>
    /// ECS JSON lines on stdout through Serilog (or readable lines at a terminal, see <see cref="WritesText"/>),
    /// optionally also to Elasticsearch (<c>Elasticsearch:Url</c>) and over OTLP (<c>Telemetry:ExportLogs</c>). Levels
    /// stay with Microsoft.Extensions.Logging's filters (<c>Logging:LogLevel:&lt;namespace&gt;</c>), which reload with
    /// configuration at run time without a restart.
    /// </summary>
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var serviceName = TelemetryResource.ServiceName(configuration);
        var version = BuildInfo.Stamped.Version;
        var formatter = new EcsJsonFormatter(serviceName, version, builder.Environment.EnvironmentName);
        var stats = new LogShippingStats();
        builder.Services.AddSingleton(stats);

        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            // Failures the operator can fix are printed as one line by StartupFailure; no stack trace twice.
            .Filter.ByExcluding(e => e.Exception is not null && StartupFailure.IsReportable(e.Exception));
        StdoutSink? stdoutOnly = null;
        var format = (configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new()).ThrowIfInvalid(new LoggingOptionsValidator()).Format;
        if (WritesText(format, builder.Environment.IsDevelopment(), Console.IsOutputRedirected))
        {
            // For a person at a terminal, where a line's cost (13-19 µs, see StdoutSink) does not matter. A full buffer
            // drops and counts lines rather than stall requests; 1,000 lines, each holding at most one request line of
            // client data (Kestrel caps it at 8 KiB), bound it to about 20 MiB whatever the clients send.
            logger.WriteTo.Async(to => to.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture), TextBufferLines,
                blockWhenFull: false, monitor: stats.MonitorFor(StdoutSinkName));
        }
        else
        {
            stdoutOnly = new StdoutSink(formatter, Console.OpenStandardOutput(), stats);
            logger.WriteTo.Sink(stdoutOnly);
        }

        // Validated here rather than only when the host starts: a sink built from a bad value would already be
        // shipping (and retrying) by the time validation stops the process.
        var elasticsearch = (configuration.GetSection(ElasticsearchOptions.Section).Get<ElasticsearchOptions>() ?? new()).ThrowIfInvalid(new ElasticsearchOptionsValidator());
        var telemetry = (configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new()).ThrowIfInvalid(new TelemetryOptionsValidator());
        if (elasticsearch.Enabled)
        {
            stdoutOnly = null;
            var batching = new BatchingOptions
            {
                BatchSizeLimit = elasticsearch.BatchSize,
                BufferingTimeLimit = TimeSpan.FromMilliseconds(elasticsearch.FlushIntervalMilliseconds),
                QueueLimit = elasticsearch.QueueLimit,
                EagerlyEmitFirstEvent = true,
            };
            logger.WriteTo.Batched(ElasticsearchSink.SinkName, new ElasticsearchSink(elasticsearch, formatter, stats), stats,
                elasticsearch.QueueLimitBytes, batching);
        }

        var otlp = OtlpSignal.Logs(configuration);
        if (telemetry.ExportLogs && otlp.IsEnabled)
        {
            stdoutOnly = null;
            // Endpoint, protocol, headers and resource attributes come from the standard OTEL_* variables, the logs' own
            // before the shared ones (OtlpSignal): the sink reads the shared names only, after this callback.
            logger.WriteTo.OpenTelemetry(options =>
            {
                // The logs' own endpoint is a full URL, used as it is. Without it the shared one (read by the sink
                // after this) is the base; no endpoint at all here, so the sink never sets up a traces export of
                // its own towards its default localhost:4317.
                options.Endpoint = null;
                options.LogsEndpoint = otlp.OwnEndpoint?.AbsoluteUri;
                // The sink's queue counts events only (100,000 by default). An event carries at most one request line
                // of client data, which Kestrel caps at 8 KiB, so 2,000 events bound a stalled collector's backlog to
                // about 32 MiB whatever the clients send; the overflow is dropped, never waited for.
                options.BatchingOptions.QueueLimit = OtlpLogQueueLimit;
                options.ResourceAttributes = new Dictionary<string, object>(TelemetryResource.Attributes(configuration, builder.Environment.EnvironmentName))
                {
                    ["service.name"] = serviceName,
                    ["service.version"] = version,
                    ["service.instance.id"] = TelemetryResource.InstanceId(configuration),
                };
            }, otlp.Setting);
        }

        var serilog = logger.CreateLogger();
        // Sinks write in the background, so whatever is still queued must be flushed before the process ends, within
        // a deadline (see LogFlush): when the host is disposed and, for the paths that return from Main without
        // disposing it (commands), when the process exits.
        var flush = new LogFlush(serilog);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => flush.Complete(LogFlush.BeforeServing);
        // Told when the host has started and stopped. An instance, which the container never disposes: it is disposed
        // once, through the factory below, at the point the logger provider chooses.
        builder.Services.AddSingleton<IHostedService>(flush);
        builder.Services.AddSingleton(_ => flush);
        builder.Services.AddSingleton<Serilog.ILogger>(serilog);
        // The completion line's short cut applies only while stdout is the logger's one sink (see RequestCompletionLog).
        builder.Services.AddSingleton(new RequestCompletionLog(serilog, stdoutOnly));
        builder.Logging.ClearProviders();
        // Serilog records the trace and span ids of every event itself; Microsoft.Extensions.Logging's copies of
        // them in a scope (the default) would only cost three hex strings per event.
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.None);
        // A provider rather than AddSerilog(): AddSerilog also adds a Trace-level rule for its provider,
        // which would override every Logging:LogLevel setting.
        // The flush is resolved first because the container disposes in the reverse order of creation: it then runs
        // after everything created later, and so after whatever they log while being disposed.
        builder.Logging.Services.AddSingleton<ILoggerProvider>(services =>
        {
            services.GetRequiredService<LogFlush>();
            return new SerilogLoggerProvider(serilog, dispose: false);
        });
        return builder;
    }

    /// <summary>
    /// Readable lines for a person at a terminal in Development, ECS JSON for every collector: containers, systemd,
    /// the Windows service manager, pipes and files all see stdout redirected. <c>Logging:Format</c> forces either.
    /// </summary>
    internal static bool WritesText(LogFormat format, bool isDevelopment, bool isOutputRedirected) => format switch
    {
        LogFormat.Text => true,
        LogFormat.Json => false,
        _ => isDevelopment && !isOutputRedirected,
    };

    /// <summary>
    /// Puts <paramref name="sink"/> behind Serilog's batching wrapper: a bounded queue drained by a background loop,
    /// so a log call never waits for I/O. Events that do not fit the queue (<see cref="BatchingOptions.QueueLimit"/>
    /// events, <paramref name="queueLimitBytes"/> bytes), or that the wrapper gives up on, are counted under
    /// <paramref name="name"/>.
    /// </summary>
    internal static LoggerConfiguration Batched(this LoggerSinkConfiguration writeTo, string name, IBatchedLogEventSink sink,
        LogShippingStats stats, long queueLimitBytes, BatchingOptions options)
    {
        var queue = new BoundedBatchQueue(sink, options.QueueLimit ?? int.MaxValue, queueLimitBytes, () => stats.AddDropped(name, 1));
        options.QueueLimit = null;
        var batching = LoggerSinkConfiguration.CreateSink(to => to.Sink(queue, options));
        if (batching is ISetLoggingFailureListener listened)
        {
            listened.SetFailureListener(stats.ListenerFor(name));
        }

        queue.Batching = batching;
        return writeTo.Sink(queue);
    }
}
