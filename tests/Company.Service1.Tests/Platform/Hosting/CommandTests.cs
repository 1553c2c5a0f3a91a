using System.Net;
using Company.Service1.Testing;
using Company.Service1.Tests.Infrastructure;

namespace Company.Service1.Tests.Platform.Hosting;

/// <summary>The binary's commands: `migrate` (the chart's pre-upgrade Job) and `healthcheck` (Docker HEALTHCHECK).</summary>
[Collection(ProcessTests.Collection)]
public sealed class CommandTests
{
    [Fact]
    public async Task Migrate_brings_an_empty_database_to_the_current_schema_is_idempotent_and_makes_the_service_ready()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database };

        await using (var unready = await ServiceProcess.StartAsync(settings))
        {
            await unready.WaitForStatusAsync("/livez", 200, TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await unready.Client.GetAsync("/readyz")).StatusCode);
        }

        for (var run = 0; run < 2; run++)
        {
            await using var migrate = await ServiceProcess.StartAsync(settings, ["migrate"]);
            Assert.Equal(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains(migrate.StandardOutput, l => l.Contains("Database schema is at version", StringComparison.Ordinal));
        }

        await using var service = await ServiceProcess.StartAsync(settings);
        await service.WaitUntilReadyAsync();
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

    [Fact]
    public async Task Healthcheck_exits_0_against_a_live_instance_1_against_a_dead_one_and_2_for_a_bad_url()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();

        Assert.Equal(0, await RunHealthcheckAsync($"{service.BaseAddress}livez"));
        Assert.Equal(1, await RunHealthcheckAsync($"http://127.0.0.1:{FreePort.Next()}/livez"));
        Assert.Equal(2, await RunHealthcheckAsync("not a url"));
    }

    [Fact]
    public async Task Healthcheck_without_arguments_probes_the_configured_port()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();

        await using var probe = await ServiceProcess.StartAsync(arguments: ["healthcheck"], port: service.Port);
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    private static async Task<int> RunHealthcheckAsync(string url)
    {
        await using var probe = await ServiceProcess.StartAsync(arguments: ["healthcheck", url]);
        return await probe.WaitForExitAsync(TimeSpan.FromSeconds(15));
    }
}
