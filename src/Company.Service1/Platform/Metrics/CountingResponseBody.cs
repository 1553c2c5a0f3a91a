using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Company.Service1.Platform.Metrics;

/// <summary>
/// Counts the response body bytes an endpoint writes, whichever way it writes them (<c>Response.BodyWriter</c>,
/// <c>Response.Body</c> or <c>SendFileAsync</c>), and passes everything through to the server's own body feature.
/// </summary>
/// <remarks>
/// Hand-written because neither Kestrel nor ASP.NET Core report response body sizes, and most JSON responses are
/// chunked, so the Content-Length header is usually absent. One small object per request; the stream wrapper is only
/// made for endpoints that write to <c>Response.Body</c>.
/// </remarks>
internal sealed class CountingResponseBody(IHttpResponseBodyFeature inner) : PipeWriter, IHttpResponseBodyFeature
{
    private readonly PipeWriter _writer = inner.Writer;
    private CountingStream? _stream;
    private long _streamBytes;
    private long _bytes;

    /// <summary>Body bytes written so far, framing (chunk headers) excluded.</summary>
    public long BytesWritten => _bytes + _streamBytes;

    public Stream Stream => _stream ??= new CountingStream(inner.Stream, this);

    public PipeWriter Writer => this;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await inner.SendFileAsync(path, offset, count, cancellationToken);
        _bytes += count ?? new FileInfo(path).Length - offset;
    }

    public Task CompleteAsync() => inner.CompleteAsync();

    public override void Advance(int bytes)
    {
        _writer.Advance(bytes);
        _bytes += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _writer.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        _bytes += source.Length;
        return _writer.WriteAsync(source, cancellationToken);
    }

    public override void CancelPendingFlush() => _writer.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _writer.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _writer.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => _writer.CanGetUnflushedBytes;

    public override long UnflushedBytes => _writer.UnflushedBytes;

    /// <summary>The server's response stream, counted; keeps its rules (such as refusing synchronous writes).</summary>
    private sealed class CountingStream(Stream inner, CountingResponseBody owner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            owner._streamBytes += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            owner._streamBytes += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            owner._streamBytes += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
