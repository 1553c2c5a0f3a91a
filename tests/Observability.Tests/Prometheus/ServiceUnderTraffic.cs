using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Prometheus;

/// <summary>
/// The published service on PostgreSQL, under a steady mix of traffic (successes, 404s, 5xx from the drill
/// endpoints, slow requests, malformed bodies, probes), scraped once a second by a real Prometheus that also
/// evaluates the chart's rule file. Ready once Prometheus holds several scrapes and has evaluated every rule.
/// </summary>
public sealed class ServiceUnderTraffic : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private PostgresCluster? _postgres;
    private ServiceProcess? _service;
    private Task? _traffic;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public static string RuleFile => Path.Combine(PublishedService.RepositoryRoot(), "charts", "company-service1", "files", "prometheus-rules.yaml");

    public static string DashboardFile => Path.Combine(PublishedService.RepositoryRoot(), "charts", "company-service1", "files", "grafana-dashboard.json");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresCluster.StartAsync();
        var managementPort = FreePort.Next();
        _service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await _postgres.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
            ["Drills__Enabled"] = "true",
            ["Service__Slot"] = "green",
            ["Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
        });
        await _service.WaitUntilReadyAsync();
        _traffic = Task.Run(() => GenerateTrafficAsync(_service.Client, _stop.Token));
        Prometheus = await PrometheusServer.StartAsync(managementPort, RuleFile);
        await Eventually.HoldsAsync(() => EnoughDataAsync().GetAwaiter().GetResult(), "Prometheus holds 8 scrapes and has evaluated every rule",
            TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_traffic is not null)
        {
            await _traffic;
        }

        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task<bool> EnoughDataAsync()
    {
        var scrapes = await Prometheus.QueryAsync($"count_over_time(service_build_info{{job=\"{PrometheusServer.Job}\"}}[1m])");
        if (scrapes.Length == 0 || double.Parse(scrapes[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) < 8)
        {
            return false;
        }

        var rules = await Prometheus.GetAsync("/api/v1/rules");
        return rules.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray())
            .All(rule => !rule.GetProperty("lastEvaluation").GetString()!.StartsWith("0001", StringComparison.Ordinal));
    }

    private static async Task GenerateTrafficAsync(HttpClient client, CancellationToken stop)
    {
        var iteration = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await SendAsync(client, HttpMethod.Get, "/version", stop);
                await SendAsync(client, HttpMethod.Get, $"/delay/{iteration % 10}", stop);
                await SendAsync(client, HttpMethod.Get, "/status/404", stop);
                await SendAsync(client, HttpMethod.Get, "/status/500", stop);
                await SendAsync(client, HttpMethod.Get, "/readyz", stop);
                await SendAsync(client, HttpMethod.Post, "/faults?rate=not-a-number", stop);

                if (iteration % 5 == 0)
                {
                    await SendAsync(client, HttpMethod.Get, "/delay/600", stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            iteration++;
            // Paces the traffic to a realistic trickle instead of saturating two shared cores.
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await client.SendAsync(request, stop);
    }
}
