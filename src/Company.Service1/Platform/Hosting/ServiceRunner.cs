namespace Company.Service1.Platform.Hosting;

public static class ServiceRunner
{
    /// <summary>Runs what the command asked for on the fully composed application.</summary>
    public static async Task<int> RunAsync(this WebApplication app, ServiceCommand command)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(command);
        //#if (postgres)
        if (command.Kind == ServiceCommandKind.Migrate)
        {
            return await MigrateCommand.RunAsync(app.Services, app.Lifetime.ApplicationStopping);
        }

        //#endif
        await app.RunAsync();
        return 0;
    }
}
