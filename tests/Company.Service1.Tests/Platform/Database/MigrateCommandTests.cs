namespace Company.Service1.Tests.Platform.Database;

/// <summary>
/// <c>migrate</c>, the chart's pre-upgrade Job, on the published binary. It uses the platform's database
/// registration, so it works whatever features the service has.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_brings_an_empty_database_to_the_current_schema_is_idempotent_and_the_service_is_then_ready()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database };

        for (var run = 0; run < 2; run++)
        {
            await using var migrate = await ServiceProcess.StartAsync(settings, ["migrate"]);
            Assert.Equal(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains(migrate.StandardOutput, l => l.Contains($"Database schema is at version {Migration.LatestVersion}", StringComparison.Ordinal));
        }

        await using var service = await ServiceProcess.StartAsync(settings);
        await service.WaitUntilReadyAsync();
    }

    [Fact]
    public async Task Migrate_needs_no_authentication_settings_outside_development()
    {
        // The chart's migration Job gets the database settings only; the secure default concerns serving the API.
        await using var migrate = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
            ["Authentication__Disabled"] = null,
        }, ["migrate"]);

        Assert.Equal(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Migrate_without_a_connection_string_exits_2()
    {
        await using var migrate = await ServiceProcess.StartAsync(arguments: ["migrate"]);
        Assert.Equal(2, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(migrate.StandardOutput, l => l.Contains("no ConnectionStrings:Postgres", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_against_an_unreachable_database_exits_1_without_showing_the_password()
    {
        await using var migrate = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=app;Password=s3cret-pw;Database=app;Timeout=2",
        }, ["migrate"]);

        Assert.Equal(1, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(migrate.StandardOutput, l => l.Contains("Migration failed", StringComparison.Ordinal));
        Assert.DoesNotContain(migrate.StandardOutput.Concat(migrate.StandardError), l => l.Contains("s3cret-pw", StringComparison.Ordinal));
    }
}
