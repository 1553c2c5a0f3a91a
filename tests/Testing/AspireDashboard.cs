using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Company.Service1.Testing;

/// <summary>
/// A real OTLP receiver: the Aspire Dashboard (cached by scripts/setup/aspire-dashboard.sh) as a child process, its
/// OTLP/gRPC, OTLP/HTTP and HTTP API on free loopback ports. What it received is read back through its telemetry API
/// (<c>/api/telemetry/traces</c>, <c>/logs</c>, <c>/resources</c>), which answers in OTLP JSON. Starting it takes a few
/// seconds: share one per test class.
/// </summary>
public sealed class AspireDashboard : IAsyncDisposable
{
    private static readonly SemaphoreSlim SetupGate = new(1, 1);
    private static string? _executable;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _api;

    private AspireDashboard(Process process, int apiPort, int grpcPort, int httpPort)
    {
        _process = process;
        ApiAddress = new Uri($"http://127.0.0.1:{apiPort}");
        OtlpGrpcEndpoint = $"http://127.0.0.1:{grpcPort}";
        OtlpHttpEndpoint = $"http://127.0.0.1:{httpPort}";
        _api = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri ApiAddress { get; }

    /// <summary>For <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> with the <c>grpc</c> protocol.</summary>
    public string OtlpGrpcEndpoint { get; }

    /// <summary>The base for <c>http/protobuf</c>: the receiver answers on <c>/v1/traces</c> and <c>/v1/logs</c> below it.</summary>
    public string OtlpHttpEndpoint { get; }

    public bool HasExited => _process.HasExited;

    public static async Task<AspireDashboard> StartAsync()
    {
        var executable = await ExecutableAsync();
        int apiPort = FreePort.Next(), grpcPort = FreePort.Next(), httpPort = FreePort.Next();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)
            || k.StartsWith("OTEL_", StringComparison.Ordinal) || k.StartsWith("ASPIRE_", StringComparison.Ordinal) || k.StartsWith("Dashboard__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{apiPort}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpcPort}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{httpPort}";
        // Loopback only, for the length of a test class: no key to hand around.
        info.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the Aspire Dashboard.");
        var dashboard = new AspireDashboard(process, apiPort, grpcPort, httpPort);
        try
        {
            await dashboard.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }

        return dashboard;
    }

    /// <summary>Every span received from the service named <paramref name="serviceName"/> (<c>service.name</c>).</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> SpansAsync(string serviceName)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in await ResourceItemsAsync($"/api/telemetry/traces?resource={Uri.EscapeDataString(serviceName)}&limit=10000", "resourceSpans"))
        {
            var resource = Attributes(resourceSpans["resource"]?["attributes"]);
            foreach (var scope in resourceSpans["scopeSpans"]?.AsArray() ?? [])
            {
                var scopeName = scope?["scope"]?["name"]?.GetValue<string>() ?? "";
                foreach (var span in scope?["spans"]?.AsArray() ?? [])
                {
                    spans.Add(new ReceivedSpan(
                        span!["traceId"]!.GetValue<string>(), span["spanId"]!.GetValue<string>(), span["parentSpanId"]?.GetValue<string>(),
                        span["name"]!.GetValue<string>(), span["kind"]?.GetValue<int>() ?? 0, span["status"]?["code"]?.GetValue<int>() ?? 0,
                        scopeName, Attributes(span["attributes"]), resource));
                }
            }
        }

        return spans;
    }

    /// <summary>Every log record received from the service named <paramref name="serviceName"/>.</summary>
    public async Task<IReadOnlyList<ReceivedLogRecord>> LogRecordsAsync(string serviceName)
    {
        var records = new List<ReceivedLogRecord>();
        foreach (var resourceLogs in await ResourceItemsAsync($"/api/telemetry/logs?resource={Uri.EscapeDataString(serviceName)}&limit=10000", "resourceLogs"))
        {
            var resource = Attributes(resourceLogs["resource"]?["attributes"]);
            foreach (var scope in resourceLogs["scopeLogs"]?.AsArray() ?? [])
            {
                var scopeName = scope?["scope"]?["name"]?.GetValue<string>() ?? "";
                foreach (var record in scope?["logRecords"]?.AsArray() ?? [])
                {
                    records.Add(new ReceivedLogRecord(
                        record!["traceId"]?.GetValue<string>(), record["spanId"]?.GetValue<string>(), record["severityNumber"]?.GetValue<int>() ?? 0,
                        record["severityText"]?.GetValue<string>(), record["body"]?["stringValue"]?.GetValue<string>() ?? "", scopeName,
                        Attributes(record["attributes"]), resource));
                }
            }
        }

        return records;
    }

    /// <summary>The raw OTLP JSON of one trace, as the API answers it (for a person to read in a test's output).</summary>
    public async Task<string> TraceJsonAsync(string traceId) => await _api.GetStringAsync($"/api/telemetry/traces/{traceId}");

    /// <summary>The service names the receiver has seen (<c>/api/telemetry/resources</c>).</summary>
    public async Task<IReadOnlyList<string>> ResourceNamesAsync()
    {
        var resources = JsonNode.Parse(await _api.GetStringAsync("/api/telemetry/resources"))?.AsArray() ?? [];
        return [.. resources.Select(resource => resource?["name"]?.GetValue<string>() ?? "")];
    }

    /// <summary>Kills the receiver: a collector that went away. Exporters then meet refused connections.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public string Describe() => string.Join('\n', _output.TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await StopAsync();
        _process.Dispose();
    }

    private async Task<IEnumerable<JsonNode>> ResourceItemsAsync(string path, string name)
    {
        using var response = await _api.GetAsync(path);
        // The receiver answers 404 for a resource it has received nothing from yet.
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return answer?["data"]?[name]?.AsArray().OfType<JsonNode>() ?? [];
    }

    /// <summary>OTLP attributes as strings: the receiver hands every value back as a <c>stringValue</c>.</summary>
    private static Dictionary<string, string> Attributes(JsonNode? attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes?.AsArray() ?? [])
        {
            var value = attribute?["value"]?.AsObject().FirstOrDefault().Value;
            result[attribute!["key"]!.GetValue<string>()] = value is JsonValue scalar ? scalar.ToString() : value?.ToJsonString() ?? "";
        }

        return result;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        // The OTLP listeners are bound before the API answers: Kestrel binds every endpoint before the app starts.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Aspire Dashboard exited with {_process.ExitCode}.\n{Describe()}");
            }

            try
            {
                using var response = await _api.GetAsync("/api/telemetry/resources");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The Aspire Dashboard did not answer within {timeout}.\n{Describe()}");
    }

    private static async Task<string> ExecutableAsync()
    {
        await SetupGate.WaitAsync();
        try
        {
            if (_executable is null)
            {
                var setup = await ProcessRunner.RunAsync(Path.Combine(PublishedService.RepositoryRoot(), "scripts", "setup", "aspire-dashboard.sh"), [],
                    TimeSpan.FromMinutes(10), workingDirectory: null, environment: null);
                _executable = setup.Succeeded ? setup.StandardOutput.Trim() : throw new InvalidOperationException($"scripts/setup/aspire-dashboard.sh failed: {setup.Describe()}");
            }

            return _executable;
        }
        finally
        {
            SetupGate.Release();
        }
    }
}

/// <summary>A span as the receiver stored it. Attribute values are strings (the receiver's API renders them so).</summary>
public sealed record ReceivedSpan(string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind, int StatusCode, string Scope,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyDictionary<string, string> Resource)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;
    public const int ErrorStatus = 2;

    public string? this[string attribute] => Attributes.TryGetValue(attribute, out var value) ? value : null;
}

/// <summary>A log record as the receiver stored it.</summary>
public sealed record ReceivedLogRecord(string? TraceId, string? SpanId, int SeverityNumber, string? SeverityText, string Body, string Scope,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyDictionary<string, string> Resource);
