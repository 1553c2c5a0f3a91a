using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Service.Logging;

/// <summary>
/// The request-completion line as fixed UTF-8 fragments with the request's values spliced in: the one line written
/// for every request, so it skips the JSON writer's per-field work (escaping checks of constant names, state
/// tracking). It produces exactly what <see cref="EcsJsonFormatter"/> writes for the same request, and declines
/// (returns false) whenever a value would need JSON escaping, leaving those rare lines to the JSON writer.
/// </summary>
internal sealed class CompletionLineTemplate
{
    private static readonly byte[] Start = "{\"@timestamp\":\""u8.ToArray();
    private static readonly byte[] MessageStart = "\",\"log.level\":\"info\",\"message\":\"HTTP "u8.ToArray();
    private static readonly byte[] Responded = " responded "u8.ToArray();
    private static readonly byte[] TraceIdStart = ",\"trace.id\":\""u8.ToArray();
    private static readonly byte[] SpanIdStart = "\",\"span.id\":\""u8.ToArray();
    private static readonly byte[] MethodStart = ",\"http.request.method\":\""u8.ToArray();
    private static readonly byte[] PathStart = "\",\"url.path\":\""u8.ToArray();
    private static readonly byte[] StatusStart = "\",\"http.response.status_code\":"u8.ToArray();
    private static readonly byte[] DurationStart = ",\"event.duration\":"u8.ToArray();
    private static readonly byte[] RouteStart = ",\"http.route\":\""u8.ToArray();

    private static readonly byte[] End = Encoding.UTF8.GetBytes(
        $"\",\"log.logger\":\"{RequestCompletedEvent.Category}\",\"event.code\":\"{RequestCompletedEvent.EventIdNumber}\",\"event.action\":\"{RequestCompletedEvent.EventIdName}\"}}\n");

    private static readonly SearchValues<char> PlainCharacters = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    private const int IdsLength = 13 + 32 + 13 + 16 + 1;
    private const int NumbersLength = 11 + 11 + 20;

    private readonly byte[] _service;

    // Methods and route templates come from small sets (unknown methods are not cached: anyone can invent one).
    private readonly ConcurrentDictionary<string, byte[]?> _routes = new(StringComparer.Ordinal);

    public CompletionLineTemplate(JsonEncodedText ecsVersion, JsonEncodedText serviceName, JsonEncodedText serviceVersion, JsonEncodedText environment)
    {
        _service = [
            .. "\",\"ecs.version\":\""u8, .. ecsVersion.EncodedUtf8Bytes,
            .. "\",\"service.name\":\""u8, .. serviceName.EncodedUtf8Bytes,
            .. "\",\"service.version\":\""u8, .. serviceVersion.EncodedUtf8Bytes,
            .. "\",\"service.environment\":\""u8, .. environment.EncodedUtf8Bytes,
            (byte)'"',
        ];
    }

    /// <summary>Appends the line, or returns false without writing anything when a value needs escaping.</summary>
    public bool TryWrite(in RequestCompletion request, IBufferWriter<byte> output)
    {
        var route = request.Route ?? RequestCompletion.NoRoute;
        var encodedRoute = _routes.GetOrAdd(route, static raw => IsPlain(raw) ? Encoding.ASCII.GetBytes(raw) : null);
        var method = request.Method;
        var path = request.Path;
        if (encodedRoute is null || !IsPlain(method) || !IsPlain(path))
        {
            return false;
        }

        var length = Start.Length + EcsJsonFormatter.TimestampLength + MessageStart.Length + method.Length + 1 + path.Length
            + Responded.Length + _service.Length + IdsLength + MethodStart.Length + method.Length + PathStart.Length + path.Length
            + StatusStart.Length + DurationStart.Length + RouteStart.Length + encodedRoute.Length + End.Length + NumbersLength;
        var line = output.GetSpan(length);
        var at = 0;
        Append(line, ref at, Start);
        EcsJsonFormatter.FormatTimestamp(request.Timestamp, line.Slice(at, EcsJsonFormatter.TimestampLength));
        at += EcsJsonFormatter.TimestampLength;
        Append(line, ref at, MessageStart);
        Append(line, ref at, method);
        line[at++] = (byte)' ';
        Append(line, ref at, path);
        Append(line, ref at, Responded);
        AppendNumber(line, ref at, request.StatusCode);
        Append(line, ref at, _service);
        if (request.TraceId != default)
        {
            Append(line, ref at, TraceIdStart);
            Append(line, ref at, request.TraceId.ToHexString());
            Append(line, ref at, SpanIdStart);
            Append(line, ref at, request.SpanId.ToHexString());
            line[at++] = (byte)'"';
        }

        Append(line, ref at, MethodStart);
        Append(line, ref at, method);
        Append(line, ref at, PathStart);
        Append(line, ref at, path);
        Append(line, ref at, StatusStart);
        AppendNumber(line, ref at, request.StatusCode);
        Append(line, ref at, DurationStart);
        AppendNumber(line, ref at, EcsJsonFormatter.Nanoseconds(request.Elapsed.TotalMilliseconds));
        Append(line, ref at, RouteStart);
        Append(line, ref at, encodedRoute);
        Append(line, ref at, End);
        output.Advance(at);
        return true;
    }

    /// <summary>Text the JSON writer copies as it is: with its default encoder, printable ASCII but for the
    /// characters it escapes (the quote and backslash, and the HTML-sensitive ones).</summary>
    private static bool IsPlain(string value) => !value.AsSpan().ContainsAnyExcept(PlainCharacters);

    private static void Append(Span<byte> line, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line[at..]);
        at += bytes.Length;
    }

    private static void Append(Span<byte> line, ref int at, string ascii)
    {
        Ascii.FromUtf16(ascii, line[at..], out var written);
        at += written;
    }

    private static void AppendNumber(Span<byte> line, ref int at, long value)
    {
        Utf8Formatter.TryFormat(value, line[at..], out var written);
        at += written;
    }
}
