using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Company.Service1.Tests.Platform.Shutdown;

/// <summary>
/// The drain sequence in the in-process host, which stops through the same lifecycle as SIGTERM does: readiness
/// turns 503 at once, the service keeps answering for the configured delay, then says it drained. GracefulDrainTests
/// covers what only a real process shows (keep-alive clients, cut requests, the exit code).
/// </summary>
public sealed class DrainSequenceTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Stopping_turns_readiness_503_serves_for_the_delay_and_logs_each_step()
    {
        var log = new CapturedLog();
        await using var service = Service(log, delaySeconds: 3);
        var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var drain = service.Services.GetRequiredService<DrainState>();

        var clock = Stopwatch.StartNew();
        var stopped = service.Services.GetRequiredService<IHost>().StopAsync();
        await Eventually(() => drain.IsDraining, TimeSpan.FromSeconds(30));
        using var readiness = await client.GetAsync("/readyz");
        using var liveness = await client.GetAsync("/livez");
        using var served = await client.GetAsync("/version");
        await stopped.WaitAsync(TimeSpan.FromSeconds(60));

        // The delay's timer counts in coarse ticks, so it may fire a fraction of a millisecond before the Stopwatch
        // agrees; 50 ms of slack still fails a delay that is skipped or shortened.
        Assert.True(clock.Elapsed >= Delay - TimeSpan.FromMilliseconds(50), $"stopped after {clock.Elapsed}, before the {Delay} drain delay");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.True(served.Headers.ConnectionClose, "a response while draining does not ask the client to close its connection");
        var drainLines = log.Lines.Where(l => l.Category.EndsWith("GracefulDrainService", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.Collection(drainLines,
            draining => Assert.StartsWith("Draining: readiness is now 503; serving for 3s more, then in-flight requests get 5s (", draining, StringComparison.Ordinal),
            closing => Assert.Equal("Drain delay over: closing the listener (0 requests in flight)", closing),
            drained => Assert.StartsWith("Drained: every in-flight request finished", drained, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Before_the_drain_answers_keep_the_connection_open()
    {
        await using var service = Service(new CapturedLog(), delaySeconds: 0);

        using var response = await service.CreateClient().GetAsync("/version");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task The_hosts_stop_budget_is_the_drain_delay_plus_the_in_flight_timeout()
    {
        await using var service = new ServiceFactory(new Dictionary<string, string?> { ["Drain:DelaySeconds"] = "3", ["Drain:TimeoutSeconds"] = "7" });

        Assert.Equal(TimeSpan.FromSeconds(10), service.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static WebApplicationFactory<Program> Service(CapturedLog log, int delaySeconds) =>
        new ServiceFactory(new Dictionary<string, string?> { ["Drain:DelaySeconds"] = delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }).LoggingTo(log);

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}
