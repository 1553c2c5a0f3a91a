using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Company.Service1.Testing;
using Company.Service1.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Company.Service1.Tests.Platform.Shutdown;

/// <summary>SIGTERM and Ctrl+C on the published binary, as Kubernetes, systemd and a terminal send them.</summary>
[Collection(ProcessTests.Collection)]
public sealed class GracefulDrainTests(ITestOutputHelper output)
{
    private const int DrainDelaySeconds = 2;

    [Fact]
    public async Task Sigterm_under_keep_alive_load_flips_readiness_first_then_drains_with_zero_failed_requests_and_exits_0()
    {
        await using var service = await StartAsync(DrainDelaySeconds, timeoutSeconds: 10);
        var id = await SeedAsync(service);
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = service.BaseAddress };
        using var stopLoad = new CancellationTokenSource();
        long ok = 0, failed = 0, servedAfterSigterm = 0;
        var sigtermSent = 0L;
        var failures = new List<string>();

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync($"/api/v1/todos/{id}");
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

        // Slow requests already in flight when the signal arrives must complete normally.
        var slow = Enumerable.Range(0, 4).Select(_ => client.GetAsync("/delay/3000")).ToList();
        await WaitUntilAsync(() => Interlocked.Read(ref ok) > 200, TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        Interlocked.Exchange(ref sigtermSent, 1);
        service.Signal(ServiceProcess.SigTerm);

        // Like an endpoints controller: once readiness fails, traffic stops arriving shortly after.
        var readinessFlippedAfter = await WaitForReadinessFailureAsync(service);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);

        var slowResults = await Task.WhenAll(slow);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var exitedAfter = clock.Elapsed;
        output.WriteLine($"readiness 503 after {readinessFlippedAfter.TotalMilliseconds:F0} ms; exit after {exitedAfter.TotalMilliseconds:F0} ms; ok={ok} failed={failed} served after SIGTERM={servedAfterSigterm}");

        Assert.True(failed == 0, $"{failed} failed requests: {string.Join(", ", failures.Distinct().Take(5))}");
        Assert.All(slowResults, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(readinessFlippedAfter < TimeSpan.FromSeconds(1), $"readiness flipped only after {readinessFlippedAfter}");
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
        var stuck = client.GetAsync("/delay/30000");
        await WaitUntilAsync(() => service.StandardOutput.Count > 0, TimeSpan.FromSeconds(5));
        await Task.Delay(200);

        var clock = Stopwatch.StartNew();
        service.Signal(ServiceProcess.SigTerm);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the cut took {clock.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => stuck);
        Assert.Contains(service.StandardOutput, l => l.Contains("in-flight requests were cut", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctrl_c_drains_like_sigterm()
    {
        await using var service = await StartAsync(delaySeconds: 3, timeoutSeconds: 5);

        service.Signal(ServiceProcess.SigInt);
        await WaitForReadinessFailureAsync(service);
        using var live = await service.Client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    private static async Task<ServiceProcess> StartAsync(int delaySeconds, int timeoutSeconds)
    {
        var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
            ["Drain__DelaySeconds"] = delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Drain__TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Drills__Enabled"] = "true",
            ["RateLimit__PermitsPerSecond"] = "0",
        });
        await service.WaitUntilReadyAsync();
        return service;
    }

    private static async Task<string> SeedAsync(ServiceProcess service)
    {
        var response = await service.Client.PostAsJsonAsync("/api/v1/todos", new { title = "drain me" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls readiness on fresh connections and returns how long it took to turn 503.</summary>
    private static async Task<TimeSpan> WaitForReadinessFailureAsync(ServiceProcess service)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
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
