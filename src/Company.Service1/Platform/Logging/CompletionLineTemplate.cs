using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// The request-completion line as fixed UTF-8 fragments with the request's values spliced in: the one line written
/// for every request, so it skips the JSON writer's per-field work (escaping checks of constant names, state
/// tracking). It produces exactly what <see cref="EcsJsonFormatter"/> writes for the request's
/// completion event (<see cref="RequestCompletionLog.Create"/>), and declines (returns false) whenever a value would need JSON escaping,
/// leaving those rare lines to that event.
/// </summary>
internal sealed class CompletionLineTemplate
{
    // The fragments between the values, from the formatter's field names and the ECS fields of the event's properties.
    private static readonly byte[] Start = Fragment("{", EcsJsonFormatter.Names.Timestamp, "\"");
    private static readonly byte[] MessageStart = [
        .. Fragment("\",", EcsJsonFormatter.Names.Level, "\""), .. EcsJsonFormatter.Level(LogEventLevel.Information).EncodedUtf8Bytes,
        .. Fragment("\",", EcsJsonFormatter.Names.Message, "\"HTTP "),
    ];
    private static readonly byte[] Responded = " responded "u8.ToArray();
    private static readonly byte[] TraceIdStart = Fragment(",", EcsJsonFormatter.Names.TraceId, "\"");
    private static readonly byte[] SpanIdStart = Fragment("\",", EcsJsonFormatter.Names.SpanId, "\"");
    private static readonly byte[] MethodStart = Fragment(",", Field(RequestCompletionLog.MethodProperty), "\"");
    private static readonly byte[] PathStart = Fragment("\",", Field(RequestCompletionLog.PathProperty), "\"");
    private static readonly byte[] StatusStart = Fragment("\",", Field(RequestCompletionLog.StatusCodeProperty), "");
    private static readonly byte[] DurationStart = Fragment(",", Field(EcsFieldMap.ElapsedMsProperty), "");
    private static readonly byte[] RouteStart = Fragment(",", Field(RequestCompletionLog.RouteProperty), "\"");

    private static readonly byte[] End = [
        .. Fragment("\",", Field(RequestCompletionLog.LoggerProperty), "\""), .. Encoded(RequestCompletionLog.Category),
        .. Fragment("\",", EcsJsonFormatter.Names.EventCode, "\""), .. Encoded(RequestCompletionLog.EventIdNumber.ToString(CultureInfo.InvariantCulture)),
        .. Fragment("\",", EcsJsonFormatter.Names.EventAction, "\""), .. Encoded(RequestCompletionLog.EventIdName),
        .. "\"}\n"u8,
    ];

    private static readonly SearchValues<char> PlainCharacters = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Trace and span ids in hex, and the longest status code (twice) and duration in digits.</summary>
    private const int ValuesLength = 32 + 16 + 11 + 11 + 20;

    private readonly byte[] _service;

    // Route templates come from a small set, so their bytes are kept (paths and methods are not: anyone can invent one).
    private readonly ConcurrentDictionary<string, byte[]?> _routes = new(StringComparer.Ordinal);

    public CompletionLineTemplate(JsonEncodedText ecsVersion, JsonEncodedText serviceName, JsonEncodedText serviceVersion, JsonEncodedText environment)
    {
        _service = [
            .. Fragment("\",", EcsJsonFormatter.Names.EcsVersion, "\""), .. ecsVersion.EncodedUtf8Bytes,
            .. Fragment("\",", EcsJsonFormatter.Names.ServiceName, "\""), .. serviceName.EncodedUtf8Bytes,
            .. Fragment("\",", EcsJsonFormatter.Names.ServiceVersion, "\""), .. serviceVersion.EncodedUtf8Bytes,
            .. Fragment("\",", EcsJsonFormatter.Names.ServiceEnvironment, "\""), .. environment.EncodedUtf8Bytes,
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
            + Responded.Length + _service.Length + TraceIdStart.Length + SpanIdStart.Length + 1
            + MethodStart.Length + method.Length + PathStart.Length + path.Length + StatusStart.Length + DurationStart.Length
            + RouteStart.Length + encodedRoute.Length + End.Length + ValuesLength;
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

    /// <summary><paramref name="before"/>, the quoted field name and its colon, then <paramref name="after"/>.</summary>
    private static byte[] Fragment(string before, JsonEncodedText name, string after) =>
        [.. Encoding.UTF8.GetBytes(before), (byte)'"', .. name.EncodedUtf8Bytes, (byte)'"', (byte)':', .. Encoding.UTF8.GetBytes(after)];

    private static JsonEncodedText Field(string property) => EcsFieldMap.Classify(property).Field;

    private static byte[] Encoded(string value) => JsonEncodedText.Encode(value).EncodedUtf8Bytes.ToArray();

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
