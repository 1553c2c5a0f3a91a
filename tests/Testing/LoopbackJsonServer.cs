using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Company.Service1.Testing;

/// <summary>
/// A loopback server that answers every request with the JSON its handler returns: the shared base of the stand-ins
/// for APIs that cannot run here (a Kubernetes API server, Prometheus's query API, an OIDC authority).
/// </summary>
public sealed class LoopbackJsonServer : IDisposable
{
    private readonly LoopbackHttpServer _server;

    /// <param name="pathPrefix">The path the server answers under, e.g. "/" or "/api/v1/".</param>
    /// <param name="answer">The status and body for a request.</param>
    public LoopbackJsonServer(string pathPrefix, Func<HttpListenerRequest, Task<(int Status, JsonNode Body)>> answer) =>
        _server = new LoopbackHttpServer(pathPrefix, async context =>
        {
            var (status, body) = await answer(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
            context.Response.Close();
        });

    /// <summary>The server's base address, ending in "/".</summary>
    public Uri Url => _server.Url;

    public void Dispose() => _server.Dispose();
}
