namespace Charts.Tests.Infrastructure;

/// <summary>Theory data: the rendered matrix cases plus the plain manifests of k8s/.</summary>
public static class SetNames
{
    public static TheoryData<string> All => [.. ChartCase.All.Select(c => c.Name), RenderedSets.PlainManifests];

    /// <summary>Sets where activeSlot switches between the two slot Deployments (the plain manifests are one).</summary>
    public static TheoryData<string> Slots =>
        [.. ChartCase.All.Where(c => !c.Argo).Select(c => c.Name), RenderedSets.PlainManifests];
    //#if (istio)

    /// <summary>Sets where Istio routes between the two slot Deployments (the plain manifests are one).</summary>
    public static TheoryData<string> IstioSlots =>
        [.. ChartCase.All.Where(c => c.Istio && !c.Argo).Select(c => c.Name), RenderedSets.PlainManifests];
    //#endif

    /// <summary>The expected active slot of a set.</summary>
    public static string ActiveSlot(string set) =>
        set == RenderedSets.PlainManifests ? "blue" : ChartCase.Named(set).ActiveSlot!;
}
