using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// Optional direct shipping of log events to Elasticsearch with <c>_bulk</c>, into the data stream
/// <c>logs-{Dataset}-{Namespace}</c>. Off by default: in Kubernetes, shipping stdout with Filebeat, Fluent Bit or
/// the OpenTelemetry Collector is the sturdier path; this is for hosts without one.
/// </summary>
public sealed class ElasticsearchOptions
{
    public const string Section = "Elasticsearch";

    /// <summary>The cluster's base URL, e.g. <c>https://elastic.example:9200</c>. Empty leaves shipping off.</summary>
    [Url]
    public string? Url { get; set; }

    /// <summary>Data stream dataset: lower case, no <c>-</c>, as the data stream naming scheme requires.</summary>
    [RegularExpression("^[a-z0-9_.]{1,100}$")]
    public string Dataset { get; set; } = "company.service1";

    /// <summary>Data stream namespace, e.g. the environment name.</summary>
    [RegularExpression("^[a-z0-9_.]{1,100}$")]
    public string Namespace { get; set; } = "default";

    /// <summary>An API key (the base64 <c>id:key</c> form Elasticsearch issues); sent as <c>Authorization: ApiKey</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Basic authentication, when no API key is given.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Most events per <c>_bulk</c> request.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Most events held in memory waiting to be sent; beyond that new events are dropped (and counted).</summary>
    [Range(100, 1_000_000)]
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>
    /// Most bytes held in memory waiting to be sent (the batch being sent included), estimated from the events'
    /// text: a client decides how long a path or a method is, so the bound in events alone does not bound memory.
    /// Beyond it new events are dropped (and counted). 8 MiB holds the default 10,000 events of about 800 bytes each
    /// (a request-completion line), or about 500 of the largest ones Kestrel's 8 KiB request line allows.
    /// </summary>
    [Range(65_536, 1_073_741_824)]
    public long QueueLimitBytes { get; set; } = 8_388_608;

    /// <summary>Longest wait between two sends, in milliseconds.</summary>
    [Range(100, 60_000)]
    public int FlushIntervalMilliseconds { get; set; } = 2000;

    /// <summary>How many times a batch (or the items Elasticsearch rejected with a retryable status) is sent again.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>Timeout of one <c>_bulk</c> request.</summary>
    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public string DataStream => $"logs-{Dataset}-{Namespace}";
}

[OptionsValidator]
public sealed partial class ElasticsearchOptionsValidator : IValidateOptions<ElasticsearchOptions>;
