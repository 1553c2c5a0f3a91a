using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// What a queued log event holds on to, in bytes, for the queues' byte bounds: a client decides how long a path or a
/// method is, so a bound in events alone does not bound memory. An estimate from string lengths (UTF-16, two bytes a
/// character) plus a fixed charge per object, walked without allocating; it errs on the high side, and is the same
/// every time for the same event, so a queue can take back exactly what it charged.
/// </summary>
internal static class LogEventSize
{
    // The event, its property dictionary and timestamps; then one dictionary entry, property and value object each.
    private const int EventOverhead = 256;
    private const int PropertyOverhead = 64;

    // Exceptions are charged a flat amount: walking their stack traces would cost more than the event itself.
    private const int ExceptionOverhead = 4096;

    public static long Of(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        long size = EventOverhead + Text(logEvent.MessageTemplate.Text);
        // Serilog keeps the properties in a Dictionary; walking it as one avoids an enumerator object per event.
        var properties = logEvent.Properties as Dictionary<string, LogEventPropertyValue>
            ?? new Dictionary<string, LogEventPropertyValue>(logEvent.Properties, StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            size += PropertyOverhead + Text(name) + Of(value);
        }

        if (logEvent.Exception is { } exception)
        {
            size += ExceptionOverhead + Text(exception.Message);
        }

        return size;
    }

    /// <summary>A request-completion line waiting as it is: the struct, its method and its path (the route is shared).</summary>
    public static long Of(in RequestCompletion request) => PropertyOverhead + Text(request.Method) + Text(request.Path);

    private static long Of(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                return Text(text);
            case SequenceValue sequence:
                long items = 0;
                foreach (var item in sequence.Elements)
                {
                    items += PropertyOverhead + Of(item);
                }

                return items;
            case StructureValue structure:
                long fields = 0;
                foreach (var field in structure.Properties)
                {
                    fields += PropertyOverhead + Text(field.Name) + Of(field.Value);
                }

                return fields;
            case DictionaryValue dictionary:
                long entries = 0;
                foreach (var (key, entry) in dictionary.Elements)
                {
                    entries += (2 * PropertyOverhead) + Of(key) + Of(entry);
                }

                return entries;
            default:
                return 0;
        }
    }

    private static long Text(string? text) => 2L * (text?.Length ?? 0);
}
