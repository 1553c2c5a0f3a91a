using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Company.Service1.Testing;

/// <summary>
/// An HTTP server on a free loopback port that answers every request with the JSON its handler returns: the shared
/// base of the stand-ins for APIs that cannot run here (a Kubernetes API server, Prometheus's query API).
/// </summary>
public sealed class LoopbackJsonServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, Task<(int Status, JsonNode Body)>> _answer;

    /// <param name="pathPrefix">The path the server answers under, e.g. "/" or "/api/v1/".</param>
    /// <param name="answer">The status and body for a request.</param>
    public LoopbackJsonServer(string pathPrefix, Func<HttpListenerRequest, Task<(int Status, JsonNode Body)>> answer)
    {
        _answer = answer;
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(new Uri(Url, pathPrefix).ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    /// <summary>The server's base address, ending in "/".</summary>
    public Uri Url { get; }

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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var (status, body) = await _answer(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
            context.Response.Close();
        }
    }
}
