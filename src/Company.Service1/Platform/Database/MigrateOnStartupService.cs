using Company.Service1.Platform.Configuration;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Database;

/// <summary>
/// Applies pending migrations before the server starts when <c>Database:MigrateOnStartup</c> is on
/// (local runs, docker-compose). Production leaves it off and runs <c>Company.Service1 migrate</c> as a Job, so that
/// N replicas never race to migrate and a failed migration never crash-loops the pods.
/// </summary>
public sealed class MigrateOnStartupService(Migrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
