using System.Net;

namespace Company.Service1.Testing;

/// <summary>
/// An HTTP server on a free loopback port that hands each request to its handler, one at a time: the accept loop
/// behind every stand-in for a backend that cannot run here (APIs, log and telemetry receivers).
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handle;

    /// <param name="pathPrefix">The path the server answers under, e.g. "/" or "/api/v1/".</param>
    /// <param name="handle">Answers one request and closes its response.</param>
    public LoopbackHttpServer(string pathPrefix, Func<HttpListenerContext, Task> handle)
    {
        _handle = handle;
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await _handle(context);
        }
    }
}
