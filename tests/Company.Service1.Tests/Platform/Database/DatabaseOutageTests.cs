using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Company.Service1.Tests.Platform.Database;

/// <summary>PostgreSQL stopped and restarted under the running published binary.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_outage_makes_readiness_503_keeps_liveness_200_and_heals_without_a_restart()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await cluster.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
            ["RateLimit__PermitsPerSecond"] = "0",
            ["RateLimit__PermitsPerClientPerSecond"] = "0",
        });
        await service.WaitUntilReadyAsync();

        await cluster.StopAsync();
        var clock = Stopwatch.StartNew();
        await service.WaitForStatusAsync("/readyz", 503, TimeSpan.FromSeconds(15));
        var unreadyAfter = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/livez")).StatusCode);
        using var health = await service.Client.GetAsync("/healthz");
        var report = await health.Content.ReadAsStringAsync();
        Assert.Contains("postgres", report, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Password, report, StringComparison.Ordinal);

        await cluster.StartAgainAsync();
        clock.Restart();
        await service.WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(15));
        var recoveredAfter = clock.Elapsed;
        output.WriteLine($"readiness 503 {unreadyAfter.TotalMilliseconds:F0} ms after the stop; ready again {recoveredAfter.TotalMilliseconds:F0} ms after the restart");

        Assert.False(service.HasExited);
        Assert.DoesNotContain(service.StandardOutput.Concat(service.StandardError), l => l.Contains(cluster.Password, StringComparison.Ordinal));
    }
}
