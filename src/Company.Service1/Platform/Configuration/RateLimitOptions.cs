using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>Per-instance request rate limit. Probes and metrics are never limited.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Requests per second this instance accepts before answering 429; 0 turns the limiter off.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 300;
}

[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
