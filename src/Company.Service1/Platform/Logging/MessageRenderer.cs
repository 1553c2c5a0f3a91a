using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Renders a log event's message with string values as they are: Serilog's own rendering quotes them
/// (<c>at "host"</c>), which reads badly in Kibana and breaks substring searches.
/// </summary>
/// <remarks>
/// Renders into a per-thread character buffer and returns a view of it, valid until the next call on the same thread:
/// the message is copied straight into the JSON line, so building a string for it would be garbage on every line.
/// Plain text and scalar values are written directly; anything else (structures, alignment) goes through Serilog.
/// </remarks>
internal static class MessageRenderer
{
    [ThreadStatic]
    private static char[]? t_buffer;

    [ThreadStatic]
    private static StringWriter? t_fallback;

    // The last template's tokens as an array: most lines on a thread share one template (the completion line), and
    // MessageTemplate exposes its tokens only as an IEnumerable, which costs an enumerator and two calls per token.
    [ThreadStatic]
    private static MessageTemplate? t_template;

    [ThreadStatic]
    private static MessageTemplateToken[]? t_tokens;

    public static ReadOnlySpan<char> Render(LogEvent logEvent)
    {
        var buffer = t_buffer ??= new char[256];
        var length = 0;
        var tokens = t_tokens;
        if (tokens is null || !ReferenceEquals(t_template, logEvent.MessageTemplate))
        {
            t_tokens = tokens = [.. logEvent.MessageTemplate.Tokens];
            t_template = logEvent.MessageTemplate;
        }

        // Serilog keeps properties in a Dictionary; looking them up through it rather than the interface is cheaper.
        var properties = logEvent.Properties as Dictionary<string, LogEventPropertyValue>;
        foreach (var token in tokens)
        {
            if (token is TextToken text)
            {
                Append(ref buffer, ref length, text.Text);
            }
            else if (token is PropertyToken property && property.Alignment is null
                && (properties?.TryGetValue(property.PropertyName, out var value) ?? logEvent.Properties.TryGetValue(property.PropertyName, out value))
                && value is ScalarValue scalar)
            {
                AppendScalar(ref buffer, ref length, scalar.Value, property.Format);
            }
            else
            {
                var fallback = t_fallback ??= new StringWriter(CultureInfo.InvariantCulture);
                fallback.GetStringBuilder().Clear();
                token.Render(logEvent.Properties, fallback, CultureInfo.InvariantCulture);
                Append(ref buffer, ref length, fallback.ToString());
            }
        }

        t_buffer = buffer;
        return buffer.AsSpan(0, length);
    }

    private static void AppendScalar(ref char[] buffer, ref int length, object? value, string? format)
    {
        switch (value)
        {
            case string text:
                Append(ref buffer, ref length, text);
                return;
            case null:
                Append(ref buffer, ref length, "null");
                return;
            case ISpanFormattable formattable:
                int written;
                while (!formattable.TryFormat(buffer.AsSpan(length), out written, format, CultureInfo.InvariantCulture))
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                length += written;
                return;
            case IFormattable formattable:
                Append(ref buffer, ref length, formattable.ToString(format, CultureInfo.InvariantCulture));
                return;
            default:
                Append(ref buffer, ref length, value.ToString());
                return;
        }
    }

    private static void Append(ref char[] buffer, ref int length, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (length + text.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + text.Length));
        }

        text.CopyTo(buffer.AsSpan(length));
        length += text.Length;
    }
}
