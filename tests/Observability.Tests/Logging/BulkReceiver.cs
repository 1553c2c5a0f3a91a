using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Observability.Tests.Logging;

/// <summary>
/// A loopback HTTP endpoint standing in for Elasticsearch's <c>_bulk</c> API (no Elasticsearch can run here): it
/// records each request and answers with what the test scripts, in the documented response format.
/// </summary>
public sealed class BulkReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<BulkRequest> _requests = new();
    private readonly Func<BulkRequest, int, Task<(int Status, string Body)>> _answer;
    private readonly Task _loop;

    public BulkReceiver(Func<BulkRequest, int, Task<(int Status, string Body)>> answer)
    {
        _answer = answer;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<BulkRequest> Requests => [.. _requests];

    /// <summary>The item result Elasticsearch reports for a document it stored.</summary>
    public static string Created(int n) =>
        $"{{\"create\":{{\"_index\":\".ds-logs-company.service1-test-2026.11.25-000001\",\"_id\":\"id{n}\",\"_version\":1,\"result\":\"created\",\"status\":201}}}}";

    /// <summary>The item result for a rejected document, with the error object Elasticsearch attaches.</summary>
    public static string Failed(int status, string type) =>
        $"{{\"create\":{{\"_index\":\".ds-logs-company.service1-test-2026.11.25-000001\",\"status\":{status},\"error\":{{\"type\":\"{type}\",\"reason\":\"scripted by the test\"}}}}}}";

    public static string Response(bool errors, IEnumerable<string> items) =>
        $"{{\"took\":3,\"errors\":{(errors ? "true" : "false")},\"items\":[{string.Join(',', items)}]}}";

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new BulkRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType,
                context.Request.Headers["Authorization"], await reader.ReadToEndAsync());
            _requests.Enqueue(request);
            var (status, body) = await _answer(request, _requests.Count);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

public sealed record BulkRequest(string Method, string Path, string? ContentType, string? Authorization, string Body)
{
    /// <summary>The NDJSON lines, without the final empty string after the closing newline.</summary>
    public string[] Lines => Body.EndsWith('\n') ? Body[..^1].Split('\n') : Body.Split('\n');
}
