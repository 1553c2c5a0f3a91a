using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Database;

/// <summary>
/// Says once, before the server starts, which database the instance uses, and applies pending migrations when
/// <c>Database:MigrateOnStartup</c> is on (local runs, docker-compose). Production leaves it off and runs
/// <c>Company.Service1 migrate</c> as a Job, so that N replicas never race to migrate and a failed migration never
/// crash-loops the pods.
/// </summary>
public sealed partial class DatabaseStartupService(
    Migrator migrator, IConfiguration configuration, IOptions<DatabaseOptions> options, ILogger<DatabaseStartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var database = DatabaseExtensions.Describe(configuration.GetConnectionString(DatabaseExtensions.ConnectionStringName)!);
        LogDatabase(logger, database);
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "DATABASE: PostgreSQL at {Database}")]
    private static partial void LogDatabase(ILogger logger, string database);
}
