using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Drills;

/// <summary>
/// Failure drills for rollout tests (off by default; the chart never routes them publicly). They let a test make
/// one instance slow, sick or unready on purpose and prove that outlier detection and rollback really trigger.
/// </summary>
public static class DrillEndpoints
{
    public static WebApplicationBuilder AddDrills(this WebApplicationBuilder builder)
    {
        var state = new DrillState();
        builder.Services.AddSingleton(state);
        // Read now, validated, because it decides whether the check exists; the endpoints decide when they are mapped.
        var options = (builder.Configuration.GetSection(DrillOptions.Section).Get<DrillOptions>() ?? new()).ThrowIfInvalid(new DrillOptionsValidator());
        if (options.Enabled)
        {
            builder.Services.AddHealthChecks().AddCheck("drill", () => state.ReadinessDisabled
                ? HealthCheckResult.Unhealthy("readiness disabled by drill")
                : HealthCheckResult.Healthy("no drill active"), tags: [HealthTags.Ready]);
        }

        return builder;
    }

    /// <summary>Answers the configured fraction of requests under <c>Drills:FaultPathPrefix</c> with an injected 500.</summary>
    public static WebApplication UseDrills(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<DrillOptions>>();
        if (!options.CurrentValue.Enabled)
        {
            return app;
        }

        var state = app.Services.GetRequiredService<DrillState>();
        var scope = new PathString(options.CurrentValue.FaultPathPrefix);
        app.Use(async (context, next) =>
        {
            var rate = state.FaultRateOr(options.CurrentValue.FaultRate);
            if (rate > 0 && context.Request.Path.StartsWithSegments(scope, StringComparison.OrdinalIgnoreCase)
                && Random.Shared.NextDouble() < rate)
            {
                await Problems.Problem(StatusCodes.Status500InternalServerError, ProblemTypes.InjectedFault,
                    "Injected fault.", "A failure drill answered this request with an error on purpose.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    public static IEndpointRouteBuilder MapDrills(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var options = routes.ServiceProvider.GetRequiredService<IOptions<DrillOptions>>().Value;
        if (!options.Enabled)
        {
            return routes;
        }

        var drills = routes.MapGroup("").WithTags("Drills").ExcludeFromDescription();
        drills.MapGet("/status/{code:int}", Status);
        drills.MapGet("/delay/{ms:int}", DelayAsync);
        drills.MapPost("/readyz/disable", (DrillState state) => SetReadiness(state, disabled: true));
        drills.MapPost("/readyz/enable", (DrillState state) => SetReadiness(state, disabled: false));
        drills.MapPost("/faults", SetFaultRate);
        return routes;
    }

    internal static IResult Status(int code) => code is >= 200 and <= 599
        ? TypedResults.StatusCode(code)
        : Problems.BadParameter("code", "code must be an HTTP status between 200 and 599.");

    internal static async Task<Results<Ok<DrillDelay>, ProblemHttpResult>> DelayAsync(
        int ms, IOptions<DrillOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxDelayMilliseconds;
        if (ms < 0 || ms > max)
        {
            return Problems.BadParameter("ms", $"ms must be between 0 and {max}.");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(ms), time, cancellationToken);
        return TypedResults.Ok(new DrillDelay(ms));
    }

    internal static NoContent SetReadiness(DrillState state, bool disabled)
    {
        state.ReadinessDisabled = disabled;
        return TypedResults.NoContent();
    }

    internal static Results<Ok<DrillFaultRate>, ProblemHttpResult> SetFaultRate(DrillState state, double rate)
    {
        if (double.IsNaN(rate) || rate is < 0 or > 1)
        {
            return Problems.BadParameter("rate", "rate must be between 0 and 1.");
        }

        state.SetFaultRate(rate);
        return TypedResults.Ok(new DrillFaultRate(rate));
    }
}

public sealed record DrillDelay(int DelayedMs);

public sealed record DrillFaultRate(double Rate);
