namespace Charts.Tests.Infrastructure;

/// <summary>One entry of the render matrix: a values file (or the defaults) and what it should produce.</summary>
public sealed record ChartCase(string Name, string? ValuesFile, string? ActiveSlot, bool Istio, bool Argo, bool Windows)
{
    /// <summary>The cluster the case renders for; most cases use one that serves every API the chart can use.</summary>
    public Cluster Cluster { get; init; } = Cluster.Full;

    public const string Release = "company-service1";
    public const string Namespace = "apps";

    /// <summary>
    /// The template's mesh option: without it the chart has no Istio objects, whatever a case's values say.
    /// </summary>
    public const bool Mesh =
        //#if (istio)
        true ||
        //#endif
        false;

    public static IReadOnlyList<ChartCase> All { get; } =
    [
        new("defaults", null, "blue", Istio: Mesh, Argo: false, Windows: false),
        new("blue-active", "blue-active.yaml", "blue", Istio: Mesh, Argo: false, Windows: false),
        new("green-active", "green-active.yaml", "green", Istio: Mesh, Argo: false, Windows: false),
        new("istio-off", "istio-off.yaml", "green", Istio: false, Argo: false, Windows: false),
        new("networkpolicy-off", "networkpolicy-off.yaml", "blue", Istio: Mesh, Argo: false, Windows: false),
        new("argo-rollouts", "argo-rollouts.yaml", null, Istio: Mesh, Argo: true, Windows: false),
//#if (windows)
        new("windows", "windows.yaml", "blue", Istio: false, Argo: false, Windows: true),
//#endif
        new("production", "production.yaml", "blue", Istio: Mesh, Argo: false, Windows: false),
        new("openshift", "openshift.yaml", "blue", Istio: Mesh, Argo: false, Windows: false),

        // The defaults on the four kinds of cluster users install on: only what each one serves renders.
        new("plain-cluster", null, "blue", Istio: false, Argo: false, Windows: false) { Cluster = Cluster.Plain },
        new("istio-cluster", null, "blue", Istio: Mesh, Argo: false, Windows: false) { Cluster = Cluster.Istio },
        new("prometheus-operator-cluster", null, "blue", Istio: false, Argo: false, Windows: false) { Cluster = Cluster.PrometheusOperator },
        new("argo-rollouts-cluster", "argo-rollouts.yaml", null, Istio: false, Argo: true, Windows: false) { Cluster = Cluster.ArgoRollouts },
    ];

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    public static ChartCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>helm arguments selecting this case's values.</summary>
    public IReadOnlyList<string> ValuesArguments =>
        ValuesFile is null ? [] : ["--values", Path.Combine(Repository.Cases, ValuesFile)];

    public override string ToString() => Name;
}
