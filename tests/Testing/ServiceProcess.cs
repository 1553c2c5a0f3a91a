using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Company.Service1.Testing;

/// <summary>The published service running as a child process on a free loopback port, with its output captured.</summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    public const int SigTerm = 15;
    public const int SigInt = 2;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly string _managementPort;

    private ServiceProcess(Process process, int port, string managementPort)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _managementPort = managementPort;
        // No propagator, so no diagnostics handler: an in-process test's tracer (the app's HttpClient instrumentation)
        // would otherwise trace these requests and overwrite the traceparent a test sets with its own.
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _stderr.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>Where <c>/metrics</c> answers: the management port, the test's own if it set one (even an invalid one).</summary>
    public Uri ManagementAddress => new($"http://127.0.0.1:{_managementPort}");

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>
    /// Starts the service. <paramref name="environment"/> adds to (null removes from) a clean environment that has
    /// no configuration leaking in from the test runner's own. Authentication is off unless the test removes
    /// <c>Authentication__Disabled</c>: a test of anything else sends no token.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(
        IReadOnlyDictionary<string, string?>? environment = null, IEnumerable<string>? arguments = null, int? port = null, string? executable = null,
        string? workingDirectory = null)
    {
        executable ??= await PublishedService.ExecutableAsync();
        var chosenPort = port ?? FreePort.Next();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(executable)!,
        };
        foreach (var key in info.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["ASPNETCORE_HTTP_PORTS"] = chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Management__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Authentication__Disabled"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        foreach (var argument in arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the service");
        return new ServiceProcess(process, chosenPort, info.Environment["Management__Port"]!);
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/> (default 200).</summary>
    public async Task WaitForStatusAsync(string path, int status, TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        int? last = null;
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode} while waiting for {path} → {status}.\n{Describe()}");
            }

            try
            {
                using var response = await probe.GetAsync(path);
                last = (int)response.StatusCode;
                if (last == status)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                last = null;
            }
            catch (TaskCanceledException)
            {
                last = null;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{path} did not answer {status} within {timeout} (last: {last?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"}).\n{Describe()}");
    }

    public Task WaitUntilReadyAsync() => WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(30));

    /// <summary>Sends a POSIX signal, as Kubernetes and systemd do (SIGTERM) or a terminal does (SIGINT).</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code; throws if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service did not exit within {timeout}.\n{Describe()}");
        }

        return _process.ExitCode;
    }

    public string Describe() =>
        $"--- stdout ---\n{string.Join('\n', _stdout.TakeLast(40))}\n--- stderr ---\n{string.Join('\n', _stderr.TakeLast(40))}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
