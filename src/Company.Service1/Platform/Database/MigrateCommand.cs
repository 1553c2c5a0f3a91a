using Npgsql;

namespace Company.Service1.Platform.Database;

/// <summary><c>Company.Service1 migrate</c>: applies pending migrations and exits (the chart runs it as a pre-upgrade Job).</summary>
public static partial class MigrateCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand).FullName!);
        var migrator = services.GetService<Migrator>();
        if (migrator is null)
        {
            LogNoDatabase(logger);
            return 2;
        }

        try
        {
            await migrator.MigrateAsync(cancellationToken);
            return 0;
        }
        catch (NpgsqlException e)
        {
            LogFailed(logger, e.Message);
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot migrate: no ConnectionStrings:Postgres is configured")]
    private static partial void LogNoDatabase(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migration failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
