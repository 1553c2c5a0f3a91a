using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// Failure drills for rollout tests: make one instance slow, sick or unready on purpose.
/// Off by default; when off, none of the drill endpoints exist.
/// </summary>
public sealed class DrillOptions
{
    public const string Section = "Drills";

    /// <summary>Maps <c>/status/{code}</c>, <c>/delay/{ms}</c> and the readiness toggles.</summary>
    public bool Enabled { get; set; }

    /// <summary>Fraction (0..1) of requests under <see cref="FaultPathPrefix"/> answered with an injected 500, while drills are enabled.</summary>
    [Range(0.0, 1.0)]
    public double FaultRate { get; set; }

    /// <summary>
    /// The path segments whose requests the fault rate applies to: the API, never the probes or the drills
    /// themselves, so an injected fault cannot take an instance out of rotation or lock a test out of its switch.
    /// </summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$", ErrorMessage = "Drills:FaultPathPrefix must be a URL path starting with '/'.")]
    public string FaultPathPrefix { get; set; } = "/api";

    /// <summary>Longest delay <c>/delay/{ms}</c> accepts.</summary>
    [Range(0, 300_000)]
    public int MaxDelayMilliseconds { get; set; } = 60_000;
}

[OptionsValidator]
public sealed partial class DrillOptionsValidator : IValidateOptions<DrillOptions>;
