using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>Limits on what a single request may carry.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request body in bytes; larger bodies get 413.</summary>
    [Range(1024, 104_857_600)]
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;

    /// <summary>Deepest JSON nesting accepted in a request body.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 32;
}

[OptionsValidator]
public sealed partial class RequestLimitsOptionsValidator : IValidateOptions<RequestLimitsOptions>;
