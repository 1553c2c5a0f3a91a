namespace Company.Service1.Platform;

/// <summary>
/// The platform every service made from this template runs on, in three calls for <c>Program.cs</c>:
/// <see cref="AddServiceDefaults"/> on the builder, then <see cref="UseServiceDefaults"/> and
/// <see cref="MapDefaultEndpoints"/> on the application. A feature comes after them and never wires a platform part;
/// nothing here names a feature.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>
    /// Configuration validation, logging, service-manager integration and ports, tracing, metrics, request limits,
    /// JSON, problem details, drain, authentication, rate limiter, probes, drills, <c>/version</c> and OpenAPI.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // Options first: the calls below read the sections it binds, and a bad value stops startup before they run.
        builder.AddServiceConfiguration();
        // Logging before the rest, so their startup lines are already in the service's format.
        builder.AddServiceLogging();
        builder.AddServiceManagerIntegration();
        builder.AddListeningPort();
        builder.AddServiceTracing();
        builder.AddServiceMetrics();
        builder.AddRequestLimits();
        builder.AddServiceJson();
        // Exception handlers are asked in the order they are added: the platform's come before any module's.
        builder.AddProblemResponses();
        // The probes before the modules that add readiness checks, so the report lists startup, drain, drill.
        builder.AddHealthProbes();
        builder.AddGracefulDrain();
        builder.AddApiAuthentication();
        builder.AddApiRateLimit();
        builder.AddDrills();
        builder.AddBuildInfo();
        builder.AddApiDocuments();
        return builder;
    }

    /// <summary>The platform's middleware. Each request meets it in this order, which matters.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        // 1. /metrics on the management port, ahead of everything: scrapes are never logged, traced, limited or counted.
        app.UseManagementEndpoint();
        // 2. Timing, the completion line and the span wrap all that follows, so rejections and errors are measured too.
        app.UseRequestTelemetry();
        // 3. In-flight accounting and the drain's Connection: close, before anything can answer: a request rejected
        //    or failed further in is still counted while in flight and still closes its connection during a drain.
        app.UseGracefulDrain();
        // 4. Exception and empty-error mapping to problem details, outside the rate limiter and the drills, so their
        //    429 and injected 500 leave as problem details too.
        app.UseProblemResponses();
        // 5. Authentication inside the problem mapping (its empty 401 and 403 get problem bodies) and before the rate
        //    limiter, which partitions by the token's subject and so needs context.User.
        app.UseApiAuthentication();
        // 6. The rate limiter before authorization, the drills and the endpoints: a rejected request costs no handler
        //    work, and a flood of unauthorized requests is limited like any other.
        app.UseApiRateLimit();
        // 7. The features' authorization policies.
        app.UseApiAuthorization();
        // 8. Injected faults last, right before the endpoints they stand in for.
        app.UseDrills();
        return app;
    }

    /// <summary>
    /// The platform's endpoints: probes, <c>/version</c>, the drills (when enabled), the OpenAPI document, the API reference
    /// (when enabled) and the status page at <c>/</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthProbes();
        app.MapVersion();
        app.MapDrills();
        app.MapApiDocuments();
        app.MapApiReference();
        app.MapStatusPage();
        return app;
    }
}
