var command = ServiceCommand.Parse(args);
if (command.Kind == ServiceCommandKind.Healthcheck)
{
    return await HealthcheckCommand.RunAsync(command.HostArgs);
}

try
{
    var builder = WebApplication.CreateSlimBuilder(ServiceManagerIntegration.BuilderOptions(command.HostArgs));
    builder.AddServiceDefaults();
    //#if (postgres)
    builder.AddDatabase();
    //#endif
    //#if (sample)
    builder.AddTodos();
    //#endif

    var app = builder.Build();
    app.UseServiceDefaults();
    app.MapDefaultEndpoints();
    //#if (sample)
    app.MapTodos();
    //#endif

    return await app.RunAsync(command);
}
catch (Exception exception) when (StartupFailure.IsReportable(exception))
{
    return StartupFailure.Report(exception);
}

/// <summary>The entry point; public so integration tests can host it.</summary>
public partial class Program;
