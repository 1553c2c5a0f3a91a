using System.Net;
using System.Net.Http.Json;
using Observability.Tests.Infrastructure;
using Observability.Tests.Otlp;

namespace Observability.Tests.Todos;

/// <summary>
/// A todo written to a real PostgreSQL, as a real OTLP receiver sees it: the Npgsql spans are children of the
/// request's server span, and the database password is in no span or log record.
/// </summary>
[Trait("Category", "Process")]
[Collection(OtlpReceiver.Name)]
public sealed class TodoDatabaseSpanExportTests(OtlpReceiver.Dashboard dashboard) : IAsyncLifetime
{
    private PostgresCluster? _postgres;

    public async Task InitializeAsync() => _postgres = await PostgresCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_database_spans_are_children_of_the_server_span_and_no_record_holds_the_password()
    {
        var receiver = dashboard.Receiver;
        var name = $"otlp-todos-{Guid.NewGuid():N}";
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.OtlpGrpcEndpoint,
            ["Telemetry__ExportLogs"] = "true",
            ["ConnectionStrings__Postgres"] = await _postgres!.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
        });
        await service.WaitUntilReadyAsync();
        var (traceId, parentId, traceparent) = OtlpReceiver.NewContext();

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/todos") { Content = JsonContent.Create(new { title = "trace me" }) })
        {
            request.Headers.Add("traceparent", traceparent);
            using var response = await service.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var spans = await OtlpReceiver.EventuallyAsync(() => receiver.SpansAsync(name),
            all => all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.ServerKind) && all.Any(s => s.TraceId == traceId && s.Scope == "Npgsql"),
            "the server and database spans arrive", service);
        var server = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.ServerKind);
        Assert.Equal(parentId, server.ParentSpanId);
        Assert.Equal("/api/v1/todos/", server["http.route"]);
        var database = spans.Where(s => s.TraceId == traceId && s.Scope == "Npgsql").ToList();
        Assert.All(database, db => Assert.Equal(server.SpanId, db.ParentSpanId));
        Assert.All(database, db => Assert.Equal(ReceivedSpan.ClientKind, db.Kind));
        Assert.Contains(database, db => db["db.query.text"]?.Contains("INSERT", StringComparison.OrdinalIgnoreCase) == true
            || db["db.statement"]?.Contains("INSERT", StringComparison.OrdinalIgnoreCase) == true);
        var records = await OtlpReceiver.EventuallyAsync(() => receiver.LogRecordsAsync(name), all => all.Any(r => r.TraceId == traceId),
            "the request's log records arrive", service);
        var everything = string.Join('\n', spans.SelectMany(s => s.Attributes.Values.Concat(s.Resource.Values))
            .Concat(records.SelectMany(r => r.Attributes.Values.Concat(r.Resource.Values).Append(r.Body))));
        Assert.DoesNotContain(_postgres.Password, everything, StringComparison.Ordinal);
        Console.WriteLine($"Trace {traceId} as the receiver holds it ({spans.Count(s => s.TraceId == traceId)} spans):\n{await receiver.TraceJsonAsync(traceId)}");
    }
}
