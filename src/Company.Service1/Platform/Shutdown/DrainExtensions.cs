using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Shutdown;

public static class DrainExtensions
{
    public static WebApplicationBuilder AddGracefulDrain(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        var state = new DrainState();
        builder.Services.AddSingleton(state);
        builder.Services.AddHostedService<GracefulDrainService>();
        // Not ready once draining, so traffic moves away before the listener closes.
        builder.Services.AddHealthChecks().AddCheck(HealthEndpoints.DrainCheck, () => state.IsDraining
            ? HealthCheckResult.Unhealthy("draining: shutdown in progress")
            : HealthCheckResult.Healthy("serving"), tags: [HealthTags.Ready]);
        // The host's stop budget is the drain delay plus the in-flight timeout. Kestrel stops with what is
        // left after the delay, so it gets exactly the in-flight timeout before it cuts connections.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<DrainOptions>>((host, drain) =>
            host.ShutdownTimeout = drain.Value.Delay + drain.Value.Timeout);
        return builder;
    }

    /// <summary>
    /// Counts in-flight requests (so a cut is reported) and, once draining, asks keep-alive clients to close
    /// their connection after the current response instead of racing the listener shutdown.
    /// </summary>
    public static WebApplication UseGracefulDrain(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<DrainState>();
        app.Use(async (context, next) =>
        {
            state.RequestStarted();
            try
            {
                if (state.IsDraining)
                {
                    context.Response.Headers.Connection = "close";
                }

                await next(context);
            }
            finally
            {
                state.RequestFinished(aborted: context.RequestAborted.IsCancellationRequested);
            }
        });
        return app;
    }
}
