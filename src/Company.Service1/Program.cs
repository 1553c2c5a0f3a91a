using Company.Service1.Platform.Configuration;
using Company.Service1.Platform.Drills;
using Company.Service1.Platform.Errors;
using Company.Service1.Platform.Health;
using Company.Service1.Platform.Hosting;
using Company.Service1.Platform.Json;
using Company.Service1.Platform.Logging;
using Company.Service1.Platform.Metrics;
using Company.Service1.Platform.OpenApi;
using Company.Service1.Platform.RateLimiting;
using Company.Service1.Platform.Shutdown;
using Company.Service1.Platform.Telemetry;
using Company.Service1.Platform.Version;
using Company.Service1.Todos;

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
