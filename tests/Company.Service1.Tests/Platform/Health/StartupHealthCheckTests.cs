using Company.Service1.Platform.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Company.Service1.Tests.Platform.Health;

/// <summary>Readiness before the host has finished starting: no traffic to a pod whose pipeline is not built yet.</summary>
public sealed class StartupHealthCheckTests
{
    [Fact]
    public async Task Not_ready_until_the_host_has_started_then_ready()
    {
        using var started = new CancellationTokenSource();
        var check = new StartupHealthCheck(new Lifetime(started.Token));

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        await started.CancelAsync();
        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Unhealthy, "still starting"), (before.Status, before.Description));
        Assert.Equal((HealthStatus.Healthy, "started"), (after.Status, after.Description));
    }

    private sealed class Lifetime(CancellationToken started) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => started;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
