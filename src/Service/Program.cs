using Service.Configuration;
using Service.Drills;
using Service.Errors;
using Service.Health;
using Service.Hosting;
using Service.Json;
using Service.Logging;
using Service.Metrics;
using Service.OpenApi;
using Service.RateLimiting;
using Service.Shutdown;
using Service.Telemetry;
using Service.Todos;
using Service.Version;

var command = ServiceCommand.Parse(args);
if (command.Kind == ServiceCommandKind.Healthcheck)
{
    return await HealthcheckCommand.RunAsync(command.HostArgs);
}

try
{
    var builder = WebApplication.CreateSlimBuilder(ServiceManagerIntegration.BuilderOptions(command.HostArgs));
    builder.AddServiceConfiguration();
    builder.AddServiceLogging();
    builder.AddServiceManagerIntegration();
    builder.AddListeningPort();
    builder.AddServiceTracing();
    builder.AddServiceMetrics();
    builder.AddRequestLimits();
    builder.AddServiceJson();
    builder.AddProblemResponses();
    builder.AddGracefulDrain();
    builder.AddApiRateLimit();
    builder.AddTodoStore();
    builder.AddHealthProbes();
    builder.AddDrills();
    builder.AddBuildInfo();
    builder.AddApiDocuments();

    var app = builder.Build();
    app.LogTodoStore();
    app.UseManagementEndpoint();
    app.UseRequestTelemetry();
    app.UseGracefulDrain();
    app.UseProblemResponses();
    app.UseApiRateLimit();
    app.UseDrills();
    app.MapHealthProbes();
    app.MapVersion();
    app.MapTodosApi();
    app.MapDrills();
    app.MapApiDocuments();

    return await app.RunAsync(command);
}
catch (Exception exception) when (StartupFailure.IsReportable(exception))
{
    return StartupFailure.Report(exception);
}

/// <summary>The entry point; public so integration tests can host it.</summary>
public partial class Program;
