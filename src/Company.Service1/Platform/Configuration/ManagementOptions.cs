using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// The management listener that serves <c>/metrics</c>. It is a port of its own so the public Service and mesh
/// routes never expose it, and a scraper can reach it without the mesh's mTLS.
/// </summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Port for <c>/metrics</c>. Set it to the application port to serve everything on one port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 9464;
}

[OptionsValidator]
public sealed partial class ManagementOptionsValidator : IValidateOptions<ManagementOptions>;
