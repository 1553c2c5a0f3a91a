using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Observability.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Observability.Tests.Tracing;

/// <summary>
/// W3C trace context end to end against a real PostgreSQL: the caller's trace continues through the server span
/// into the database spans, and every log line written while serving carries the same trace id.
/// </summary>
public sealed class TracePropagationTests : IClassFixture<TracePropagationTests.Host>
{
    private readonly Host _host;

    public TracePropagationTests(Host host) => _host = host;

    [Fact]
    public async Task Log_lines_written_while_serving_carry_the_trace_id_including_the_completion_line()
    {
        var (traceId, parentId) = NewContext();

        using var response = await SendAsync(HttpMethod.Get, "/version", traceId, parentId);

        await Eventually.HoldsAsync(() => _host.Logs.WithTraceId(traceId).Any(IsCompletion), "the request-completion line is written");
        var completion = Assert.Single(_host.Logs.WithTraceId(traceId), IsCompletion);
        Assert.Equal("GET", completion.GetProperty("http.request.method").GetString());
        Assert.Equal("/version", completion.GetProperty("http.route").GetString());
        Assert.Equal(200, completion.GetProperty("http.response.status_code").GetInt32());
        Assert.True(completion.GetProperty("event.duration").GetInt64() > 0);
        Assert.True(completion.TryGetProperty("span.id", out _));
    }

    [Theory]
    [InlineData("/readyz", false)]
    [InlineData("/metrics", true)]
    [InlineData("/", false)]
    [InlineData("/status-page/state", false)]
    public async Task Probes_scrapes_and_the_status_page_are_neither_traced_nor_logged_as_requests(string path, bool managementPort)
    {
        var (probeTrace, probeParent) = NewContext();
        using (var probe = await SendAsync(HttpMethod.Get, path, probeTrace, probeParent, client: managementPort ? _host.Service.Management : null))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        // A traced request after the probe: once its span and line are out, the probe's would be too.
        var (traceId, parentId) = NewContext();
        using (await SendAsync(HttpMethod.Get, "/version", traceId, parentId))
        {
        }

        await Eventually.HoldsAsync(() => SpansOf(traceId).Any(IsServer) && _host.Logs.WithTraceId(traceId).Any(IsCompletion), "the later request is exported");
        Assert.Empty(SpansOf(probeTrace));
        Assert.DoesNotContain(_host.Logs.WithTraceId(probeTrace), IsCompletion);
    }

    internal static bool IsServer(Activity activity) => activity.Kind == ActivityKind.Server;

    internal static bool IsDatabase(Activity activity) => activity.Source.Name == "Npgsql";

    private static bool IsCompletion(System.Text.Json.JsonElement line) =>
        line.TryGetProperty("event.action", out var action) && action.GetString() == "RequestCompleted";

    private IEnumerable<Activity> SpansOf(string traceId) => _host.Spans.ToArray().Where(a => a.TraceId.ToHexString() == traceId);

    internal static (string TraceId, string ParentId) NewContext() =>
        (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string traceId, string parentId, object? body = null,
        HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{parentId}-01");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await (client ?? _host.Service.App).SendAsync(request);
    }

    /// <summary>Sends a request that continues the trace <paramref name="traceId"/> from span <paramref name="parentId"/>.</summary>
    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string traceId, string parentId, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{parentId}-01");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    public sealed class Host : IAsyncLifetime
    {
        public PostgresCluster? Postgres { get; private set; }

        public KestrelServiceFactory Service { get; private set; } = null!;

        public List<Activity> Spans { get; } = [];

        public CapturedLogs Logs { get; } = new();

        public async Task InitializeAsync()
        {
            Postgres = await PostgresCluster.StartAsync();
            var connectionString = await Postgres.CreateDatabaseAsync();
            Service = new KestrelServiceFactory(
                new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Postgres"] = connectionString,
                    ["Database:MigrateOnStartup"] = "true",
                },
                services =>
                {
                    services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
                    services.AddSingleton(Logs.CreateProvider());
                    services.AddSingleton(new RequestCompletionLog(Logs.CreateLogger()));
                }).Start();
            await Eventually.HoldsAsync(() => Ready().GetAwaiter().GetResult(), "the service is ready", TimeSpan.FromSeconds(30));
        }

        public async Task DisposeAsync()
        {
            Service.Dispose();
            if (Postgres is not null)
            {
                await Postgres.DisposeAsync();
            }
        }

        private async Task<bool> Ready()
        {
            using var response = await Service.App.GetAsync("/readyz");
            return response.StatusCode == HttpStatusCode.OK;
        }
    }
}
