using System.Net;
using System.Text;

namespace Observability.Tests.Memory;

/// <summary>
/// A loopback log backend for load: reads every request body, keeps none of it (a soak ships hundreds of megabytes),
/// answers with a fixed success body, and notes whether a body carried <see cref="Marker"/>.
/// </summary>
public sealed class DiscardingReceiver : IDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly byte[] _answer;
    private readonly string _contentType;
    private volatile byte[]? _marker;
    private volatile bool _markerSeen;
    private long _requests;

    /// <param name="answer">The body of every answer, e.g. an Elasticsearch <c>_bulk</c> result.</param>
    /// <param name="contentType">Its media type.</param>
    public DiscardingReceiver(byte[] answer, string contentType)
    {
        _answer = answer;
        _contentType = contentType;
        _server = new LoopbackHttpServer("/", AnswerAsync);
    }

    public string Url => _server.Url.ToString().TrimEnd('/');

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>A text whose arrival (UTF-8, anywhere in a body) <see cref="MarkerSeen"/> reports.</summary>
    public string? Marker
    {
        set
        {
            _markerSeen = false;
            _marker = value is null ? null : Encoding.UTF8.GetBytes(value);
        }
    }

    public bool MarkerSeen => _markerSeen;

    public void Dispose() => _server.Dispose();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        // One at a time, like a slow single node: the service's queues, not this process, absorb the backlog.
        using (var body = new MemoryStream())
        {
            await context.Request.InputStream.CopyToAsync(body);
            if (_marker is { } marker && body.GetBuffer().AsSpan(0, (int)body.Length).IndexOf(marker) >= 0)
            {
                _markerSeen = true;
            }
        }

        Interlocked.Increment(ref _requests);
        context.Response.StatusCode = 200;
        context.Response.ContentType = _contentType;
        await context.Response.OutputStream.WriteAsync(_answer);
        context.Response.Close();
    }
}
