namespace Company.Service1.Tests.Platform.Database;

/// <summary>What the published binary says at startup about its database, and what stops it.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task A_malformed_connection_string_exits_2_without_showing_the_password()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Password=hunter2-secret;Flavour=vanilla",
        });

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var line = Assert.Single(service.StandardError, l => l.Length > 0);
        Assert.Contains("ConnectionStrings:Postgres", line, StringComparison.Ordinal);
        Assert.DoesNotContain(service.StandardOutput.Concat(service.StandardError), l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.DoesNotContain(service.StandardOutput.Concat(service.StandardError), l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_database_the_log_names_host_and_database_but_never_the_password()
    {
        var cluster = await SharedPostgres.GetAsync();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await cluster.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
        });
        await service.WaitUntilReadyAsync();

        Assert.True(service.StandardOutput.Any(l => l.Contains($"DATABASE: PostgreSQL at 127.0.0.1:{cluster.Port}/", StringComparison.Ordinal)), service.Describe());
        Assert.DoesNotContain(service.StandardOutput, l => l.Contains(cluster.Password, StringComparison.Ordinal));
    }
}
