using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// The two shutdown budgets. They are separate on purpose: the delay lets load balancers notice the pod is
/// leaving, the timeout is what in-flight requests get afterwards; one must not eat into the other.
/// </summary>
public sealed class DrainOptions
{
    public const string Section = "Drain";

    /// <summary>Seconds to keep serving after SIGTERM with readiness already 503 (endpoint propagation time).</summary>
    [Range(0, 120)]
    public int DelaySeconds { get; set; } = 5;

    /// <summary>Seconds in-flight requests get to finish once the listener is closed; later ones are cut.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 25;

    public TimeSpan Delay => TimeSpan.FromSeconds(DelaySeconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}

[OptionsValidator]
public sealed partial class DrainOptionsValidator : IValidateOptions<DrainOptions>;
