namespace Charts.Tests.Infrastructure;

/// <summary>
/// The APIs a cluster serves beyond core Kubernetes, as `helm template --api-versions` emulates them: the chart
/// renders its CRD-backed objects only where "auto" finds their API.
/// </summary>
public sealed record Cluster(string Name, IReadOnlyList<string> ApiVersions)
{
    public static Cluster Plain { get; } = new("plain", []);

    public static Cluster Istio { get; } = new("istio", [
        "networking.istio.io/v1/VirtualService", "networking.istio.io/v1/DestinationRule",
        "networking.istio.io/v1alpha3/EnvoyFilter", "security.istio.io/v1/PeerAuthentication",
        "security.istio.io/v1/AuthorizationPolicy", "security.istio.io/v1/RequestAuthentication"]);

    public static Cluster PrometheusOperator { get; } = new("prometheus-operator", [
        "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule"]);

    public static Cluster ArgoRollouts { get; } = new("argo-rollouts", [
        "argoproj.io/v1alpha1/Rollout", "argoproj.io/v1alpha1/AnalysisTemplate"]);

    /// <summary>Every API the chart can use: the cluster of the cases that exercise every object.</summary>
    public static Cluster Full { get; } = new("full", [.. Istio.ApiVersions, .. PrometheusOperator.ApiVersions, .. ArgoRollouts.ApiVersions]);

    /// <summary>helm arguments that make `helm template` see this cluster.</summary>
    public IReadOnlyList<string> Arguments => [.. ApiVersions.SelectMany(api => new[] { "--api-versions", api })];

    public override string ToString() => Name;
}
