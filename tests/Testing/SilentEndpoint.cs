using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Company.Service1.Testing;

/// <summary>
/// A loopback port that accepts every connection and never answers, nor closes it: a telemetry backend that hangs,
/// the worst case for whoever waits on it (a refused connection at least fails fast).
/// </summary>
public sealed class SilentEndpoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _held = [];
    private readonly ConcurrentQueue<string> _requestLines = new();
    private readonly Task _accepting;

    public SilentEndpoint()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    /// <summary>The base URL, e.g. for <c>Elasticsearch__Url</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Url { get; }

    /// <summary>Connections accepted so far: proof that a client did try this endpoint.</summary>
    public int Connections => _held.Count;

    /// <summary>The request line each HTTP/1.1 client sent before it started waiting, e.g. <c>POST /v1/traces HTTP/1.1</c>.</summary>
    public IReadOnlyCollection<string> RequestLines => [.. _requestLines];

    public void Dispose()
    {
        _listener.Stop();
        _accepting.Wait(TimeSpan.FromSeconds(5));
        foreach (var socket in _held)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                _held.Add(socket);
                _ = ReadRequestLineAsync(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>Reads what the client sent first, and then nothing more: the client is left waiting for an answer.</summary>
    private async Task ReadRequestLineAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            var read = await socket.ReceiveAsync(buffer);
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            _requestLines.Enqueue(end >= 0 ? text[..end] : text);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client or the test gave up first.
        }
    }
}
