using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Observability.Tests.Prometheus;

/// <summary>
/// A real Prometheus (Debian's package, installed by scripts/setup/prometheus.sh) on 127.0.0.1 and a free port,
/// scraping one target every second the way prometheus-operator scrapes it for the chart's ServiceMonitor, and
/// evaluating the given rule file, with throwaway storage.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = ServiceMonitorScrape.Job;

    private readonly Process _process;
    private readonly string _directory;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public static async Task<PrometheusServer> StartAsync(int scrapePort, string ruleFile)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"prometheus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {ruleFile}
            scrape_configs:
            {ServiceMonitorScrape.ScrapeConfig(scrapePort)}
            """);
        var port = FreePort.Next();
        var info = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}", "--log.level=warn",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start prometheus (run scripts/setup/prometheus.sh).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, port);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Runs an instant query; throws with Prometheus' error text if it is not a valid query.</summary>
    public async Task<JsonElement[]> QueryAsync(string promql)
    {
        using var content = new FormUrlEncodedContent([KeyValuePair.Create("query", promql)]);
        using var response = await Client.PostAsync("/api/v1/query", content);
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected the query ({(int)response.StatusCode}): {body}\n{promql}");
        }

        return [.. root.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => series.Clone())];
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var body = await Client.GetStringAsync(path);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}.");
            }

            try
            {
                using var response = await Client.GetAsync("/-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("prometheus did not become ready within 30 s.");
    }
}
