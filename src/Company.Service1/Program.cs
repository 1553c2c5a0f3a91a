using Company.Service1.Configuration;
using Company.Service1.Drills;
using Company.Service1.Errors;
using Company.Service1.Health;
using Company.Service1.Hosting;
using Company.Service1.Json;
using Company.Service1.Logging;
using Company.Service1.Metrics;
using Company.Service1.OpenApi;
using Company.Service1.RateLimiting;
using Company.Service1.Shutdown;
using Company.Service1.Telemetry;
using Company.Service1.Todos;
using Company.Service1.Version;

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
