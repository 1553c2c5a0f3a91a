using System.Diagnostics;
using System.Globalization;

namespace Company.Service1.Container.Tests;

/// <summary>
/// A service container started with the chart's hardening flags (<see cref="HardenedRun"/>) on free loopback
/// ports, removed (with its anonymous volumes) on dispose.
/// </summary>
public sealed class RunningContainer : IAsyncDisposable
{
    private RunningContainer(string id, int port)
    {
        Id = id;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Id { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// Starts <paramref name="image"/> detached. <paramref name="readOnlyRootFilesystem"/> false drops only
    /// `--read-only`, for tests that want to see whether anything would be written.
    /// </summary>
    public static async Task<RunningContainer> StartAsync(string image, IReadOnlyDictionary<string, string>? environment = null, bool readOnlyRootFilesystem = true, IEnumerable<string>? dockerFlags = null)
    {
        var port = FreePort.Next();
        var arguments = new List<string> { "run", "-d", "--name", $"company-service1-test-{Guid.NewGuid():N}"[..28] };
        arguments.AddRange(HardenedRun.Flags.Where(flag => readOnlyRootFilesystem || flag != "--read-only"));
        arguments.AddRange(dockerFlags ?? []);
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            ["Management__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // The image runs as Production, which refuses an unconfigured API; these tests send no token.
            ["Authentication__Disabled"] = "true",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            arguments.Add("-e");
            arguments.Add($"{key}={value}");
        }

        arguments.Add(image);
        var id = await Docker.CheckedAsync([.. arguments]);
        return new RunningContainer(id, port);
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/>; fails early if the container stops.</summary>
    public async Task WaitForStatusAsync(string path, int status, TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        var lastStateCheck = TimeSpan.Zero;
        int? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await probe.GetAsync(path);
                last = (int)response.StatusCode;
                if (last == status)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = null;
            }

            if (clock.Elapsed - lastStateCheck > TimeSpan.FromSeconds(1))
            {
                lastStateCheck = clock.Elapsed;
                if (await Docker.InspectAsync(Id, "{{.State.Running}}") != "true")
                {
                    throw new InvalidOperationException($"The container stopped while waiting for {path} → {status}.\n{await LogsAsync()}");
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{path} did not answer {status} within {timeout} (last: {last?.ToString(CultureInfo.InvariantCulture) ?? "no answer"}).\n{await LogsAsync()}");
    }

    public Task WaitUntilReadyAsync() => WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(30));

    /// <summary>The host pid of the container's main process.</summary>
    public async Task<int> MainProcessIdAsync() =>
        int.Parse(await Docker.InspectAsync(Id, "{{.State.Pid}}"), CultureInfo.InvariantCulture);

    public async Task<string> LogsAsync()
    {
        var (_, output) = await Docker.RunAsync(["logs", "--tail", "40", Id]);
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Docker.RunAsync(["rm", "-f", "-v", Id]);
    }
}
