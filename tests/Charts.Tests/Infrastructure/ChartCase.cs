namespace Charts.Tests.Infrastructure;

/// <summary>One entry of the render matrix: a values file (or the defaults) and what it should produce.</summary>
public sealed record ChartCase(string Name, string? ValuesFile, string? ActiveSlot, bool Istio, bool Argo, bool Windows)
{
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
    ];

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    public static ChartCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>helm arguments selecting this case's values.</summary>
    public IReadOnlyList<string> ValuesArguments =>
        ValuesFile is null ? [] : ["--values", Path.Combine(Repository.Cases, ValuesFile)];

    public override string ToString() => Name;
}
