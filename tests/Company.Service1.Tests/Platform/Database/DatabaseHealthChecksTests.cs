using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Service1.Tests.Platform.Database;

/// <summary>The readiness checks the database module adds: the connection and the schema version.</summary>
public sealed class DatabaseHealthChecksTests
{
    [Fact]
    public async Task Ready_and_the_report_lists_every_check_with_status_duration_and_reason()
    {
        await using var factory = await ServiceFactory.WithNewDatabaseAsync();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/livez")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["drain", "postgres", "schema", "startup"], checks.Keys.Order(StringComparer.Ordinal));
        Assert.All(checks.Values, c =>
        {
            Assert.Equal("Healthy", c.GetProperty("status").GetString());
            Assert.True(c.GetProperty("durationMs").GetDouble() >= 0);
        });
        Assert.StartsWith("schema at version", checks["schema"].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_is_503_while_the_schema_is_behind_and_200_once_migrated()
    {
        await using var factory = await ServiceFactory.WithNewDatabaseAsync(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        var client = factory.CreateClient();
        if (Migration.All.Count == 0)
        {
            // A service without migrations has no schema to be behind.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/livez")).StatusCode);
        var report = await client.GetAsync("/healthz");
        Assert.Contains("Company.Service1 migrate", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await factory.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task An_unreachable_database_fails_readiness_and_the_report_never_shows_the_password()
    {
        const string password = "Tr0ub4dor-and-3";
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={ClosedPort()};Username=app;Password={password};Database=app",
        });
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/livez")).StatusCode);
        var report = await client.GetAsync("/healthz");
        var body = await report.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.StatusCode);
        Assert.Contains("\"name\":\"postgres\",\"status\":\"Unhealthy\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(password, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_database_cannot_hang_the_readiness_probe()
    {
        // Accepts connections and never answers: what a frozen database host looks like.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={port};Username=app;Password=x;Database=app;Timeout=30",
        });
        var client = factory.CreateClient();

        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"readiness took {clock.Elapsed} against a hung database");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
