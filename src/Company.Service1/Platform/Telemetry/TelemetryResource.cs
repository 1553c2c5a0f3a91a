using OpenTelemetry.Resources;

namespace Company.Service1.Platform.Telemetry;

/// <summary>
/// Who emitted a span or log record: service name/version/instance, environment, blue-green slot and, inside
/// Kubernetes, pod, namespace and node. The chart passes the Kubernetes names through the downward API as the
/// environment variables below; <c>OTEL_RESOURCE_ATTRIBUTES</c> can add or override anything.
/// </summary>
public static class TelemetryResource
{
    public const string PodNameVariable = "K8S_POD_NAME";
    public const string NamespaceVariable = "K8S_NAMESPACE_NAME";
    public const string NodeNameVariable = "K8S_NODE_NAME";

    public const string SlotAttribute = "deployment.slot";

    public static string ServiceName(IConfiguration configuration) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "company-service1";

    public static IReadOnlyList<KeyValuePair<string, object>> Attributes(IConfiguration configuration, string environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Built before the host validates options, so the section is bound and checked here: a bad slot stops startup.
        var slot = (configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new()).ThrowIfInvalid(new ServiceOptionsValidator()).Slot;
        var attributes = new List<KeyValuePair<string, object>>
        {
            new("deployment.environment", environment),
            new("deployment.environment.name", environment),
            new(SlotAttribute, slot),
        };
        Add(attributes, "k8s.pod.name", configuration[PodNameVariable]);
        Add(attributes, "k8s.namespace.name", configuration[NamespaceVariable]);
        Add(attributes, "k8s.node.name", configuration[NodeNameVariable]);
        return attributes;
    }

    /// <summary>The pod name is unique among running instances; outside Kubernetes a fresh id per process.</summary>
    public static string InstanceId(IConfiguration configuration) =>
        configuration[PodNameVariable] is { Length: > 0 } pod ? pod : InstanceIds.Process;

    public static ResourceBuilder Configure(ResourceBuilder resource, IConfiguration configuration, string environment, string version) =>
        resource
            .AddService(ServiceName(configuration), serviceVersion: version, autoGenerateServiceInstanceId: false,
                serviceInstanceId: InstanceId(configuration))
            .AddAttributes(Attributes(configuration, environment));

    private static void Add(List<KeyValuePair<string, object>> attributes, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            attributes.Add(new(name, value));
        }
    }

    private static class InstanceIds
    {
        public static readonly string Process = Guid.NewGuid().ToString();
    }
}
