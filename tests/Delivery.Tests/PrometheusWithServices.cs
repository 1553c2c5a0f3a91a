using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Delivery.Tests;

/// <summary>
/// A real Prometheus (Debian's package) scraping three stand-in services every second on loopback. Each exposes
/// prometheus-net's request histogram the way the service does, with counters that grow on every scrape:
/// namespace "healthy" answers 100 requests per scrape without errors, namespace "failing" 10% 5xx. Namespace
/// "mesh" also exposes Istio's istio_requests_total as the callers' proxies report it: of 100 calls, 20 end in a 503
/// Envoy sent itself (no healthy upstream), which the app never sees.
/// </summary>
public sealed class PrometheusWithServices : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("slo-prometheus-").FullName;
    private readonly List<FakeService> _services = [];
    private System.Diagnostics.Process? _prometheus;

    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var healthy = FakeService.Start(errorsPerScrape: 0);
        var failing = FakeService.Start(errorsPerScrape: 10);
        var mesh = FakeService.Start(errorsPerScrape: 0, envoyErrorsPerScrape: 20);
        _services.AddRange([healthy, failing, mesh]);

        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}");
        var config = Path.Combine(_dataDir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: service
                static_configs:
                  - targets: ["127.0.0.1:{{healthy.Port}}"]
                    labels: { namespace: healthy, slot: green }
                  - targets: ["127.0.0.1:{{failing.Port}}"]
                    labels: { namespace: failing, slot: green }
                  - targets: ["127.0.0.1:{{mesh.Port}}"]
                    labels: { namespace: mesh, slot: green }
            """);

        var info = new System.Diagnostics.ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { $"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={_dataDir}/data" })
        {
            info.ArgumentList.Add(argument);
        }

        _prometheus = System.Diagnostics.Process.Start(info)!;
        _prometheus.OutputDataReceived += (_, _) => { };
        _prometheus.ErrorDataReceived += (_, _) => { };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();

        // Ready once every service has been scraped often enough for rate() over it to have a value.
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await SeriesWithRateAsync(http) == _services.Count)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Prometheus did not collect two samples of every service within 60 s");
    }

    public Task DisposeAsync()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill(entireProcessTree: true);
            _prometheus.WaitForExit();
        }

        _prometheus?.Dispose();
        foreach (var service in _services)
        {
            service.Dispose();
        }

        Directory.Delete(_dataDir, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<int> SeriesWithRateAsync(HttpClient http)
    {
        try
        {
            var query = Uri.EscapeDataString("count(rate(http_request_duration_seconds_count{code=\"200\"}[1m]) > 0)");
            using var doc = await http.GetFromJsonAsync<JsonDocument>($"/api/v1/query?query={query}");
            var result = doc!.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 0 ? 0 : int.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// A /metrics endpoint whose request counters grow by 100 per scrape: errorsPerScrape of them 500s from the app,
    /// envoyErrorsPerScrape of them 503s from the callers' Envoy (those never reach the app's histogram).
    /// </summary>
    private sealed class FakeService : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _errorsPerScrape;
        private readonly int _envoyErrorsPerScrape;
        private long _ok;
        private long _errors;
        private long _envoyErrors;

        private FakeService(int port, int errorsPerScrape, int envoyErrorsPerScrape)
        {
            Port = port;
            _errorsPerScrape = errorsPerScrape;
            _envoyErrorsPerScrape = envoyErrorsPerScrape;
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public int Port { get; }

        public static FakeService Start(int errorsPerScrape, int envoyErrorsPerScrape = 0) =>
            new(FreePort.Next(), errorsPerScrape, envoyErrorsPerScrape);

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                _ok += 100 - _errorsPerScrape - _envoyErrorsPerScrape;
                _errors += _errorsPerScrape;
                _envoyErrors += _envoyErrorsPerScrape;
                var body = Encoding.UTF8.GetBytes(Metrics());
                context.Response.ContentType = "text/plain; version=0.0.4";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        private string Metrics()
        {
            var text = new StringBuilder();
            text.Append("# HELP http_request_duration_seconds The duration of HTTP requests processed by an ASP.NET Core application.\n");
            text.Append("# TYPE http_request_duration_seconds histogram\n");
            foreach (var (code, count) in new[] { ("200", _ok), ("500", _errors) })
            {
                var labels = $"code=\"{code}\",method=\"GET\",route=\"/api/v1/todos\"";
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{{labels},le=\"0.1\"}} {count}\n");
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}\n");
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_sum{{{labels}}} {count * 0.01}\n");
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_count{{{labels}}} {count}\n");
            }

            if (_envoyErrorsPerScrape > 0)
            {
                // A request Envoy failed before any pod has no destination workload; the Service is still known.
                text.Append("# TYPE istio_requests_total counter\n");
                var calls = "reporter=\"source\",source_workload=\"istio-ingressgateway\",destination_service_namespace=\"mesh\",destination_service_name=\"company-service1-slots\",destination_workload_namespace=";
                text.Append(CultureInfo.InvariantCulture, $"istio_requests_total{{{calls}\"mesh\",destination_workload=\"company-service1-green\",response_code=\"200\",response_flags=\"-\"}} {_ok + _errors}\n");
                text.Append(CultureInfo.InvariantCulture, $"istio_requests_total{{{calls}\"unknown\",destination_workload=\"unknown\",response_code=\"503\",response_flags=\"UH\"}} {_envoyErrors}\n");
            }

            return text.ToString();
        }
    }
}
