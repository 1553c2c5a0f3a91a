using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace Company.Service1.Tests.Platform.Shutdown;

/// <summary>
/// SIGTERM and Ctrl+C on the published binary, as Kubernetes, systemd and a terminal send them. Only platform
/// endpoints are used (<c>/version</c>, <c>/readyz</c>, the <c>/delay</c> drill), and each step waits for what it
/// needs to see (requests in flight on the management port's gauge, readiness at 503) rather than for a time.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class GracefulDrainTests(ITestOutputHelper output)
{
    // Long enough that the load, the readiness poll and the post-flip traffic all fit inside it on a busy CI machine.
    private const int DrainDelaySeconds = 5;

    [Fact]
    public async Task Sigterm_under_keep_alive_load_flips_readiness_first_then_drains_with_zero_failed_requests_and_exits_0()
    {
        await using var service = await StartAsync(DrainDelaySeconds, timeoutSeconds: 20);
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = service.BaseAddress };
        using var stopLoad = new CancellationTokenSource();
        // Slow requests already in flight when the signal arrives must complete normally.
        var slow = Enumerable.Range(0, 4).Select(_ => client.GetAsync("/delay/4000")).ToList();
        await WaitForInFlightAsync(service, atLeast: 4);

        long ok = 0, failed = 0, servedAfterSigterm = 0;
        var sigtermSent = 0L;
        var failures = new List<string>();

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/version");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref ok);
                        if (Interlocked.Read(ref sigtermSent) != 0)
                        {
                            Interlocked.Increment(ref servedAfterSigterm);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        lock (failures) { failures.Add($"status {(int)response.StatusCode}"); }
                    }
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref failed);
                    lock (failures) { failures.Add(e.Message); }
                }
            }
        })).ToList();

        await WaitUntilAsync(() => Interlocked.Read(ref ok) > 200, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        Interlocked.Exchange(ref sigtermSent, 1);
        service.Signal(ServiceProcess.SigTerm);

        // Like an endpoints controller: once readiness fails, traffic stops arriving shortly after (here 1 s, well
        // inside the 5 s drain delay).
        var readinessFlippedAfter = await WaitForReadinessFailureAsync(service);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);

        var slowResults = await Task.WhenAll(slow);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var exitedAfter = clock.Elapsed;
        output.WriteLine($"readiness 503 after {readinessFlippedAfter.TotalMilliseconds:F0} ms; exit after {exitedAfter.TotalMilliseconds:F0} ms; ok={ok} failed={failed} served after SIGTERM={servedAfterSigterm}");

        Assert.True(failed == 0, $"{failed} failed requests: {string.Join(", ", failures.Distinct().Take(5))}");
        Assert.All(slowResults, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(readinessFlippedAfter < TimeSpan.FromSeconds(3), $"readiness flipped only after {readinessFlippedAfter}");
        Assert.True(servedAfterSigterm > 0, "the service stopped serving as soon as SIGTERM arrived");
        Assert.Equal(0, exitCode);
        Assert.True(exitedAfter >= TimeSpan.FromSeconds(DrainDelaySeconds), $"exited after {exitedAfter}, before the drain delay was over");
        Assert.Contains(service.StandardOutput, l => l.Contains("Drained: every in-flight request finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_still_running_past_the_drain_timeout_is_cut_and_the_cut_is_logged()
    {
        await using var service = await StartAsync(delaySeconds: 0, timeoutSeconds: 1);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var stuck = client.GetAsync("/delay/60000");
        await WaitForInFlightAsync(service, atLeast: 1);

        var clock = Stopwatch.StartNew();
        service.Signal(ServiceProcess.SigTerm);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(0, exitCode);
        // A 1 s timeout against a 60 s request: anything well under the request's own length proves the cut.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the cut took {clock.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => stuck);
        Assert.Contains(service.StandardOutput, l => l.Contains("in-flight requests were cut", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_idle_service_exits_once_the_configured_drain_delay_is_over_not_later()
    {
        const int delaySeconds = 2;
        // Nothing is in flight, so the timeout adds nothing to a correct drain; it is long because the host's own
        // shutdown timeout (delay + timeout) would otherwise cut a wrongly used 5 s delay short and hide it.
        await using var service = await StartAsync(delaySeconds, timeoutSeconds: 10);

        var clock = Stopwatch.StartNew();
        service.Signal(ServiceProcess.SigTerm);
        var readinessFlippedAfter = await WaitForReadinessFailureAsync(service);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var exitedAfter = clock.Elapsed;
        output.WriteLine($"readiness 503 after {readinessFlippedAfter.TotalMilliseconds:F0} ms; exit after {exitedAfter.TotalMilliseconds:F0} ms");

        Assert.Equal(0, exitCode);
        Assert.True(readinessFlippedAfter < TimeSpan.FromSeconds(delaySeconds), $"readiness flipped only after {readinessFlippedAfter}");
        Assert.True(exitedAfter >= TimeSpan.FromSeconds(delaySeconds), $"exited after {exitedAfter}, before the drain delay was over");
        // With nothing in flight, what follows the delay (closing the listener, flushing providers, process exit)
        // takes well under a second; 2.5 s leaves room for a loaded 2-core machine yet stays below the 5 s default
        // delay, so a service that ignored the configured delay cannot pass.
        Assert.True(exitedAfter < TimeSpan.FromSeconds(delaySeconds + 2.5), $"exited only after {exitedAfter}, well past the {delaySeconds} s drain delay");
    }

    [Fact]
    public async Task Ctrl_c_drains_like_sigterm()
    {
        await using var service = await StartAsync(delaySeconds: DrainDelaySeconds, timeoutSeconds: 5);

        service.Signal(ServiceProcess.SigInt);
        await WaitForReadinessFailureAsync(service);
        using var live = await service.Client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<ServiceProcess> StartAsync(int delaySeconds, int timeoutSeconds)
    {
        var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Drain__DelaySeconds"] = delaySeconds.ToString(CultureInfo.InvariantCulture),
            ["Drain__TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["Drills__Enabled"] = "true",
            ["RateLimit__PermitsPerSecond"] = "0",
            ["RateLimit__PermitsPerClientPerSecond"] = "0",
        });
        await service.WaitUntilReadyAsync();
        return service;
    }

    /// <summary>Waits until the service itself counts <paramref name="atLeast"/> requests in progress.</summary>
    private static async Task WaitForInFlightAsync(ServiceProcess service, int atLeast)
    {
        using var metrics = new HttpClient { BaseAddress = service.ManagementAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var line = (await metrics.GetStringAsync("/metrics")).Split('\n')
                .FirstOrDefault(l => l.StartsWith("http_requests_in_progress ", StringComparison.Ordinal));
            if (line is not null && double.Parse(line.AsSpan("http_requests_in_progress ".Length), CultureInfo.InvariantCulture) >= atLeast)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"fewer than {atLeast} requests were ever in flight");
    }

    /// <summary>Polls readiness on fresh connections and returns how long it took to turn 503.</summary>
    private static async Task<TimeSpan> WaitForReadinessFailureAsync(ServiceProcess service)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var probe = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                using var response = await probe.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException e)
            {
                // The listener is already closed: the drain delay passed before this probe ran.
                throw new InvalidOperationException($"readiness was never seen at 503 before the listener closed ({clock.Elapsed})", e);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("readiness never turned 503 after the signal");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(20);
        }
    }
}
