using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>Identity of this deployment: which blue-green slot it runs in.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    /// <summary>The blue-green slot, reported by <c>/version</c> so the two slots can be told apart.</summary>
    [Required]
    [AllowedValues("blue", "green")]
    public string Slot { get; set; } = "blue";
}

[OptionsValidator]
public sealed partial class ServiceOptionsValidator : IValidateOptions<ServiceOptions>;
