using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Tests;

/// <summary>
/// Prometheus's instant-query API on loopback, answering each PromQL query with what the test says: a value, or an
/// empty result (null). Lets the gate's decisions be tested for states a real Prometheus cannot be put into quickly.
/// </summary>
public sealed class StubPrometheus : IDisposable
{
    private readonly LoopbackJsonServer _server;
    private readonly Func<string, string?> _answer;
    private readonly List<string> _queries = [];

    public StubPrometheus(Func<string, string?> answer)
    {
        _answer = answer;
        _server = new LoopbackJsonServer("/api/v1/", RespondAsync);
        Url = _server.Url;
    }

    public Uri Url { get; }

    /// <summary>Every query asked so far, in order.</summary>
    public IReadOnlyList<string> Queries
    {
        get
        {
            lock (_queries)
            {
                return [.. _queries];
            }
        }
    }

    public void Dispose() => _server.Dispose();

    private async Task<(int Status, JsonNode Body)> RespondAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var form = await reader.ReadToEndAsync();
        var query = form.Split('&').Where(p => p.StartsWith("query=", StringComparison.Ordinal))
            .Select(p => WebUtility.UrlDecode(p["query=".Length..])).FirstOrDefault() ?? request.QueryString["query"] ?? "";
        lock (_queries)
        {
            _queries.Add(query);
        }

        var value = _answer(query);
        var result = new JsonArray();
        if (value is not null)
        {
            result.Add(new JsonObject { ["metric"] = new JsonObject(), ["value"] = new JsonArray(1_700_000_000.0, value) });
        }

        return (200, new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject { ["resultType"] = "vector", ["result"] = result },
        });
    }
}
