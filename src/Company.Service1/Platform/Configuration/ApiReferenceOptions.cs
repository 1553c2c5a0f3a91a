using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// The interactive API reference (Scalar), rendered from the service's OpenAPI document. On in Development, off
/// everywhere else unless turned on: it invites anyone who reaches it to try the API.
/// </summary>
public sealed class ApiReferenceOptions
{
    public const string Section = "ApiReference";

    /// <summary>Serves the reference; unset, it follows the environment (on in Development only).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Where the reference is served: the page for the v1 document is at <c>{Path}/v1</c>.</summary>
    [Required]
    [RegularExpression("^(/[A-Za-z0-9._~-]+)+$", ErrorMessage = "ApiReference:Path must be a URL path such as /scalar.")]
    public string Path { get; set; } = "/scalar";

    public bool IsEnabled(IHostEnvironment environment) => Enabled ?? environment.IsDevelopment();

    /// <summary>The reference page of the service's OpenAPI document.</summary>
    public string DocumentPage => $"{Path}/{OpenApiEndpoints.DocumentName}";
}

[OptionsValidator]
public sealed partial class ApiReferenceOptionsValidator : IValidateOptions<ApiReferenceOptions>;
