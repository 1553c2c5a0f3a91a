using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Company.Service1.Tests.Platform.Database;

public sealed class MigratorTests
{
    [Fact]
    public void The_embedded_migrations_are_numbered_in_order_from_one()
    {
        // A service may have none yet (the template without its sample): then there is nothing to be behind.
        Assert.Equal(Enumerable.Range(1, Migration.All.Count), Migration.All.Select(m => m.Version));
        Assert.Equal(Migration.All.Count == 0 ? 0 : Migration.All[^1].Version, Migration.LatestVersion);
        Assert.All(Migration.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Sql)));
    }

    [Fact]
    public async Task An_empty_database_is_at_version_zero_and_migrating_twice_applies_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await SharedPostgres.CreateDatabaseAsync());
        var migrator = new Migrator(dataSource, TimeProvider.System, NullLogger<Migrator>.Instance);

        Assert.Equal(0, await migrator.CurrentVersionAsync(CancellationToken.None));
        Assert.Equal(Migration.All.Count, await migrator.MigrateAsync(CancellationToken.None));
        Assert.Equal(0, await migrator.MigrateAsync(CancellationToken.None));
        Assert.Equal(Migration.LatestVersion, await migrator.CurrentVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_migrations_from_several_instances_do_not_collide()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var applied = await Task.WhenAll(dataSources.Select(ds =>
                new Migrator(ds, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None)));

            Assert.Equal(Migration.All.Count, applied.Sum());
            await using var count = dataSources[0].CreateCommand("SELECT count(*) FROM schema_migrations");
            Assert.Equal((long)Migration.All.Count, await count.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var ds in dataSources)
            {
                await ds.DisposeAsync();
            }
        }
    }
}
