namespace Company.Service1.Hosting.Tests.Systemd;

/// <summary>
/// Type=notify: systemd considers the unit started when READY=1 arrives and shows it as "deactivating" from
/// STOPPING=1. The published binary talks to a socket this test listens on, exactly as it would to systemd.
/// </summary>
public sealed class SystemdNotifyTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    // A short drain keeps the test quick; the order of events is the same as with the defaults.
    private static readonly Dictionary<string, string> QuickDrain = new()
    {
        ["Drain__DelaySeconds"] = "2",
        ["Drain__TimeoutSeconds"] = "5",
    };

    [Fact]
    public async Task READY_arrives_once_the_service_already_answers_readyz()
    {
        using var notify = new NotifySocket();
        await using var service = await UnderSystemd.StartAsync(notify.Path, QuickDrain);

        var message = await notify.ReceiveAsync(Startup, "READY=1");

        // No retry: at the moment systemd hears READY=1, dependent units start and send traffic at once.
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var readiness = await client.GetAsync("/readyz");
        Assert.Equal(("READY=1", 200), (message, (int)readiness.StatusCode));
    }

    [Fact]
    public async Task STOPPING_arrives_when_SIGTERM_starts_the_drain_and_the_service_then_exits_0()
    {
        using var notify = new NotifySocket();
        await using var service = await UnderSystemd.StartAsync(notify.Path, QuickDrain);
        Assert.Equal("READY=1", await notify.ReceiveAsync(Startup, "READY=1"));

        service.Signal(ServiceProcess.SigTerm);
        var message = await notify.ReceiveAsync(TimeSpan.FromSeconds(10), "STOPPING=1");
        var stillDraining = !service.HasExited;
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("STOPPING=1", true, 0), (message, stillDraining, exitCode));
    }

    [Fact]
    public async Task Under_systemd_SIGTERM_drains_as_everywhere_else_readiness_503_while_liveness_stays_200()
    {
        using var notify = new NotifySocket();
        await using var service = await UnderSystemd.StartAsync(notify.Path, new Dictionary<string, string>(QuickDrain) { ["Drain__DelaySeconds"] = "5" });
        Assert.Equal("READY=1", await notify.ReceiveAsync(Startup, "READY=1"));
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };

        service.Signal(ServiceProcess.SigTerm);
        Assert.Equal("STOPPING=1", await notify.ReceiveAsync(TimeSpan.FromSeconds(10), "STOPPING=1"));
        var readiness = await PollUntilAsync(client, "/readyz", 503, TimeSpan.FromSeconds(4));
        using var liveness = await client.GetAsync("/livez");

        Assert.Equal((503, 200), (readiness, (int)liveness.StatusCode));
    }

    [Fact]
    public async Task Started_by_anything_but_systemd_the_service_sends_nothing_to_NOTIFY_SOCKET()
    {
        using var notify = new NotifySocket();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>(QuickDrain.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
        {
            ["NOTIFY_SOCKET"] = notify.Path,
        });
        await service.WaitUntilReadyAsync();
        service.Signal(ServiceProcess.SigTerm);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The process is gone, so anything it sent has been delivered.
        Assert.Empty(notify.Drain());
    }

    /// <summary>Polls until <paramref name="path"/> answers <paramref name="status"/>; returns the last status seen.</summary>
    private static async Task<int> PollUntilAsync(HttpClient client, string path, int status, TimeSpan timeout)
    {
        var last = 0;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && last != status)
        {
            using var response = await client.GetAsync(path);
            last = (int)response.StatusCode;
            if (last != status)
            {
                await Task.Delay(50);
            }
        }

        return last;
    }
}
