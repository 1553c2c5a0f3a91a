using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>What the status page at <c>/</c> links to besides the service's own documents.</summary>
public sealed class StatusPageOptions
{
    public const string Section = "StatusPage";

    /// <summary>
    /// The address of the UI that shows this service's traces and logs (the Aspire Dashboard, Grafana, Kibana): the
    /// page links to it when set. The OTLP endpoint cannot stand in for it: a receiver's UI listens elsewhere.
    /// </summary>
    [Url(ErrorMessage = "StatusPage:DashboardUrl must be an absolute URL, such as http://localhost:18888.")]
    public string? DashboardUrl { get; set; }
}

[OptionsValidator]
public sealed partial class StatusPageOptionsValidator : IValidateOptions<StatusPageOptions>;
