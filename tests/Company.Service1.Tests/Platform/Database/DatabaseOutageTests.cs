using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Company.Service1.Testing;
using Company.Service1.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Company.Service1.Tests.Platform.Database;

/// <summary>PostgreSQL stopped and restarted under the running published binary.</summary>
[Collection(ProcessTests.Collection)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_outage_makes_readiness_and_the_api_503_keeps_liveness_200_and_heals_without_a_restart()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await cluster.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
            ["RateLimit__PermitsPerSecond"] = "0",
        });
        await service.WaitUntilReadyAsync();
        Assert.Equal(HttpStatusCode.Created, (await service.Client.PostAsJsonAsync("/api/v1/todos", new { title = "before" })).StatusCode);

        await cluster.StopAsync();
        var clock = Stopwatch.StartNew();
        await service.WaitForStatusAsync("/readyz", 503, TimeSpan.FromSeconds(5));
        var unreadyAfter = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/livez")).StatusCode);
        var read = await service.Client.GetAsync("/api/v1/todos");
        var problem = await ProblemAssertions.AssertProblemAsync(read, HttpStatusCode.ServiceUnavailable, "database-unavailable");
        output.WriteLine(service.Describe());
        Assert.Equal("5", read.Headers.GetValues("Retry-After").Single());
        var write = await service.Client.PostAsJsonAsync("/api/v1/todos", new { title = "during" });
        await ProblemAssertions.AssertProblemAsync(write, HttpStatusCode.ServiceUnavailable, "database-unavailable");
        Assert.DoesNotContain(cluster.Password, problem.ToString(), StringComparison.Ordinal);

        await cluster.StartAgainAsync();
        clock.Restart();
        await service.WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(5));
        await service.WaitForStatusAsync("/api/v1/todos", 200, TimeSpan.FromSeconds(5));
        var recoveredAfter = clock.Elapsed;
        output.WriteLine($"readiness 503 {unreadyAfter.TotalMilliseconds:F0} ms after the stop; API healthy {recoveredAfter.TotalMilliseconds:F0} ms after the restart");

        var page = await service.Client.GetStringAsync("/api/v1/todos");
        Assert.Contains("before", page, StringComparison.Ordinal);
        Assert.DoesNotContain("during", page, StringComparison.Ordinal);
        Assert.False(service.HasExited);
        Assert.DoesNotContain(service.StandardOutput.Concat(service.StandardError), l => l.Contains(cluster.Password, StringComparison.Ordinal));
    }
}
