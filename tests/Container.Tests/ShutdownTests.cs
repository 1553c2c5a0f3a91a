using System.Collections.Concurrent;
using System.Globalization;

namespace Company.Service1.Container.Tests;

/// <summary>`docker stop` (SIGTERM) while clients keep sending, the way a rolling update looks to the pod.</summary>
[Collection(ContainerTests.Name)]
public sealed class ShutdownTests(ContainerFixture fixture)
{
    private const int Workers = 8;
    private readonly ContainerFixture _fixture = fixture;

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task Docker_stop_under_keep_alive_load_drains_with_no_failed_request_and_exit_code_0(string variant)
    {
        //#if (postgres)
        var connectionString = await _fixture.MigratedDatabaseAsync(variant);
        //#endif
        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant), new Dictionary<string, string>
        {
            //#if (postgres)
            ["ConnectionStrings__Postgres"] = connectionString,
            //#endif
            ["Drain__DelaySeconds"] = "2",
            // The load is far above the default limits.
            ["RateLimit__PermitsPerSecond"] = "0",
            ["RateLimit__PermitsPerClientPerSecond"] = "0",
        });
        await container.WaitUntilReadyAsync();

        // Keep-alive connections, like a load balancer's pool: the drain must not break the ones already open.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Workers, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = container.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var stopLoad = new CancellationTokenSource();
        var succeeded = 0L;
        var failures = new ConcurrentQueue<string>();
        var load = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/version");
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                    else
                    {
                        failures.Enqueue(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToArray();
        await WaitUntilAsync(() => Interlocked.Read(ref succeeded) >= 200, TimeSpan.FromSeconds(20));

        var stop = Docker.RunAsync(["stop", "--time", "40", container.Id], TimeSpan.FromSeconds(60));
        await container.WaitForStatusAsync("/readyz", 503, TimeSpan.FromSeconds(10));
        var servedWhenNotReady = Interlocked.Read(ref succeeded);
        // A load balancer needs about a probe period to take the endpoint out; the service keeps serving for
        // Drain__DelaySeconds (2 s) meanwhile. This is that reaction time, not a wait for a condition.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        var (stopExit, stopOutput) = await stop;
        var exitCode = await Docker.InspectAsync(container.Id, "{{.State.ExitCode}}");

        Assert.True(stopExit == 0, $"docker stop exited {stopExit}: {stopOutput}");
        Assert.True(failures.IsEmpty, $"{failures.Count} failed requests, e.g. {string.Join(" | ", failures.Take(5))}\n{await container.LogsAsync()}");
        Assert.True(Interlocked.Read(ref succeeded) > servedWhenNotReady, "no request was served while draining");
        Assert.Equal("0", exitCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }
}
