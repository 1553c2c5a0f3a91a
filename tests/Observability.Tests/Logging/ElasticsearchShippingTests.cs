using System.Text.Json;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Logging;

/// <summary>
/// The service with <c>Elasticsearch:Url</c> set: its own lines, the request-completion line included, reach the
/// cluster's <c>_bulk</c> endpoint (the completion line then goes through Serilog, not the stdout short cut).
/// </summary>
public sealed class ElasticsearchShippingTests : IDisposable
{
    private readonly BulkReceiver _cluster = new((_, _) => Task.FromResult((200, BulkReceiver.Response(false, []))));
    private readonly KestrelServiceFactory _service;

    public ElasticsearchShippingTests()
    {
        _service = new KestrelServiceFactory(new Dictionary<string, string?>
        {
            ["Elasticsearch:Url"] = _cluster.Url,
            ["Elasticsearch:FlushIntervalMilliseconds"] = "100",
        }).Start();
    }

    [Fact]
    public async Task Request_completion_lines_are_shipped_to_the_data_stream()
    {
        var path = $"/shipped-{Guid.NewGuid():N}";

        using var response = await _service.App.GetAsync(path);

        await Eventually.HoldsAsync(() => Shipped().Any(line => line.Path == path), "the completion line reaches the _bulk endpoint");
        var completion = Shipped().Single(line => line.Path == path);
        Assert.Equal($"HTTP GET {path} responded 404", completion.Message);
        Assert.All(_cluster.Requests, request => Assert.Equal("/logs-company.service1-default/_bulk", request.Path));
    }

    public void Dispose()
    {
        _service.Dispose();
        _cluster.Dispose();
    }

    private (string? Path, string? Message)[] Shipped() =>
        [.. _cluster.Requests.SelectMany(request => request.Lines)
            .Where(line => !line.StartsWith("{\"create\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(json => (json.TryGetProperty("url.path", out var p) ? p.GetString() : null, json.GetProperty("message").GetString()))];
}
