using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>Request rate limits, one per instance and one per client. Probes and metrics are never limited.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Requests per second this instance accepts from all clients together before answering 429; 0 turns this limit off.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 300;

    /// <summary>
    /// Requests per second this instance accepts from one client (the token's subject, else the connection's
    /// address) before answering 429; 0 turns this limit off. A third of the instance's default: an interactive
    /// client never sends 100 requests a second to one pod, and a runaway one still leaves two thirds of the
    /// instance to everyone else.
    /// </summary>
    [Range(0, 1_000_000)]
    public int PermitsPerClientPerSecond { get; set; } = 100;
}

[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
