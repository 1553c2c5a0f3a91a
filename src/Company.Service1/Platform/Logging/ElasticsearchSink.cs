using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenTelemetry;
using Serilog.Core;
using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Ships log events to an Elasticsearch data stream with the <c>_bulk</c> API: NDJSON, one <c>create</c> action
/// (the only action data streams accept) per ECS document. Runs inside Serilog's batching wrapper, so requests only
/// enqueue; the wrapper's queue is bounded and drops (and counts) when full. A failed request is retried with
/// exponential backoff; when Elasticsearch accepts the request but rejects some items (<c>errors: true</c>), only the
/// items with a retryable status (429, 5xx) are sent again: the others would fail the same way again, and resending
/// the accepted ones would duplicate them. Whatever is given up is counted in <see cref="LogShippingStats"/>.
/// </summary>
public sealed class ElasticsearchSink : IBatchedLogEventSink, IDisposable
{
    public const string SinkName = "elasticsearch";

    private static readonly byte[] CreateAction = "{\"create\":{}}\n"u8.ToArray();
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly Uri _bulkUri;
    private readonly EcsJsonFormatter _formatter;
    private readonly LogShippingStats _stats;
    private readonly int _maxRetries;
    private readonly TimeSpan _retryBaseDelay;
    /// <summary>
    /// A batch goes in requests of about this size (each ends with the line that crosses it). The body buffer is
    /// reused, so it stays this small however large the events: a batch of 500 long request lines would otherwise
    /// grow it to tens of megabytes, in the large-object heap, for the life of the process. Elasticsearch takes
    /// requests up to 100 MB and is efficient from a few hundred kilobytes.
    /// </summary>
    internal const int RequestBytes = 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);

    public ElasticsearchSink(ElasticsearchOptions options, EcsJsonFormatter formatter, LogShippingStats stats, HttpMessageHandler? handler = null,
        TimeSpan? retryBaseDelay = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _formatter = formatter;
        _stats = stats;
        _maxRetries = options.MaxRetries;
        _retryBaseDelay = retryBaseDelay ?? TimeSpan.FromSeconds(1);
        _bulkUri = new Uri(new Uri(options.Url!.TrimEnd('/') + "/"), $"{options.DataStream}/_bulk");
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
        };
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", options.ApiKey);
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        stats.Track(SinkName);
    }

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // The sink's own HTTP calls must not become spans (or, through logging, more log events).
        using var suppress = SuppressInstrumentationScope.Begin();
        IReadOnlyList<LogEvent> pending = [.. batch];
        for (var attempt = 0; ; attempt++)
        {
            pending = await SendAsync(pending);
            if (pending.Count == 0)
            {
                return;
            }

            if (attempt >= _maxRetries)
            {
                _stats.AddDropped(SinkName, pending.Count);
                return;
            }

            await Task.Delay(Backoff(attempt));
        }
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends the events in requests of about <see cref="RequestBytes"/>; returns those worth sending again (none when
    /// all were accepted or rejected for good).
    /// </summary>
    private async Task<IReadOnlyList<LogEvent>> SendAsync(IReadOnlyList<LogEvent> events)
    {
        var retry = new List<LogEvent>();
        for (var start = 0; start < events.Count;)
        {
            _body.ResetWrittenCount();
            var end = start;
            do
            {
                _body.Write(CreateAction);
                _formatter.FormatLine(events[end], _body);
                end++;
            }
            while (end < events.Count && _body.WrittenCount < RequestBytes);

            retry.AddRange(await SendRequestAsync(start == 0 && end == events.Count ? events : [.. events.Skip(start).Take(end - start)]));
            start = end;
        }

        return retry;
    }

    /// <summary>Sends the body written for <paramref name="events"/>; returns those worth sending again.</summary>
    private async Task<IReadOnlyList<LogEvent>> SendRequestAsync(IReadOnlyList<LogEvent> events)
    {
        using var content = new ReadOnlyMemoryContent(_body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_bulkUri, content);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return events;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            {
                return events;
            }

            if (!response.IsSuccessStatusCode)
            {
                // 400/401/403/404: a bad request or bad credentials; sending again cannot succeed.
                _stats.AddDropped(SinkName, events.Count);
                return [];
            }

            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync();
                using var result = await JsonDocument.ParseAsync(stream);
                return ItemsToRetry(result.RootElement, events);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IOException)
            {
                // Not a _bulk answer (a proxy's error page?): whether anything was stored is unknown; resending
                // could duplicate, so the batch is given up and counted.
                _stats.AddDropped(SinkName, events.Count);
                return [];
            }
        }
    }

    /// <summary>Reads the per-item results of a <c>_bulk</c> answer, which are in the order of the actions sent.</summary>
    private List<LogEvent> ItemsToRetry(JsonElement result, IReadOnlyList<LogEvent> events)
    {
        var retry = new List<LogEvent>();
        if (!result.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.True)
        {
            return retry;
        }

        var index = 0;
        var rejected = 0;
        foreach (var item in result.GetProperty("items").EnumerateArray())
        {
            if (index >= events.Count)
            {
                break;
            }

            var status = item.TryGetProperty("create", out var create) && create.TryGetProperty("status", out var s) ? s.GetInt32() : 0;
            if (status is 429 or >= 500)
            {
                retry.Add(events[index]);
            }
            else if (status is < 200 or >= 300)
            {
                rejected++;
            }

            index++;
        }

        _stats.AddDropped(SinkName, rejected);
        return retry;
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _retryBaseDelay * Math.Pow(2, attempt);
        var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
        // Jitter, so many instances recovering together do not hit the cluster in step.
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }
}
