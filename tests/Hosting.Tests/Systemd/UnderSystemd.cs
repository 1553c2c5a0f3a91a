using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Company.Service1.Hosting.Tests.Systemd;

/// <summary>
/// The published service started the way systemd starts a unit, as far as the service can tell: its parent
/// process is named "systemd" and NOTIFY_SOCKET names the notify socket. Microsoft.Extensions.Hosting.Systemd
/// switches to its systemd lifetime only when the parent's /proc/PPID/comm is "systemd" (or the service is PID 1
/// in a container with NOTIFY_SOCKET set), so the parent here is a copy of bash named systemd that starts the
/// service as its child and waits for it. Signals go to the service itself, as systemd sends them.
/// </summary>
public sealed partial class UnderSystemd : IAsyncDisposable
{
    private readonly Process _parent;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _output = new();

    private UnderSystemd(Process parent, string directory, int port)
    {
        _parent = parent;
        _directory = directory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        parent.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        parent.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        parent.BeginOutputReadLine();
        parent.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ServicePid { get; private set; }

    public bool HasExited => _parent.HasExited;

    public static async Task<UnderSystemd> StartAsync(string notifySocket, IReadOnlyDictionary<string, string> environment)
    {
        var executable = await PublishedService.ExecutableAsync();
        var directory = Directory.CreateTempSubdirectory("fake-systemd-").FullName;
        var launcher = Path.Combine(directory, "systemd");
        File.Copy("/bin/bash", launcher);
        var port = FreePort.Next();
        var info = new ProcessStartInfo(launcher)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        // "$0" runs as a child (not exec'd), so the service's parent stays "systemd"; the exit code is passed on.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("\"$0\" & wait $!");
        info.ArgumentList.Add(executable);
        foreach (var key in info.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["NOTIFY_SOCKET"] = notifySocket;
        info.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["Management__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        // Production, as under a real unit: these tests are about the service manager, not about tokens.
        info.Environment["Authentication__Disabled"] = "true";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var parent = Process.Start(info) ?? throw new InvalidOperationException("Could not start the launcher");
        var supervised = new UnderSystemd(parent, directory, port);
        supervised.ServicePid = await supervised.FindChildAsync(TimeSpan.FromSeconds(10));
        return supervised;
    }

    /// <summary>Sends a signal to the service process, as systemd's KillSignal does.</summary>
    public void Signal(int signal)
    {
        if (kill(ServicePid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({ServicePid}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The service's exit code (bash's `wait` passes it on).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _parent.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service did not exit within {timeout}.\n{Describe()}");
        }

        return _parent.ExitCode;
    }

    public string Describe() => $"--- output ---\n{string.Join('\n', _output.TakeLast(40))}";

    public async ValueTask DisposeAsync()
    {
        if (!_parent.HasExited)
        {
            _parent.Kill(entireProcessTree: true);
            await _parent.WaitForExitAsync();
        }

        _parent.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<int> FindChildAsync(TimeSpan timeout)
    {
        var children = $"/proc/{_parent.Id}/task/{_parent.Id}/children";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_parent.HasExited)
        {
            var pids = (await File.ReadAllTextAsync(children)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (pids.Length > 0)
            {
                return int.Parse(pids[0], CultureInfo.InvariantCulture);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The launcher started no service within {timeout}.\n{Describe()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
