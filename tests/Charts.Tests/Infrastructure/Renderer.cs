namespace Charts.Tests.Infrastructure;

/// <summary>Renders the chart with real helm.</summary>
public static class Renderer
{
    /// <summary>`helm template` (with the test pod and hooks); throws with helm's message on failure.</summary>
    public static IReadOnlyList<Manifest> Render(IEnumerable<string> extraArguments) => Render(Cluster.Full, extraArguments);

    /// <summary>`helm template` for a cluster that serves every API the chart can use.</summary>
    public static ProcessResult TryRender(IEnumerable<string> extraArguments) => TryRender(Cluster.Full, extraArguments);

    public static ProcessResult TryRender(Cluster cluster, IEnumerable<string> extraArguments) =>
        Tools.RunHelm([
            "template", ChartCase.Release, Repository.Chart, "--namespace", ChartCase.Namespace,
            .. cluster.Arguments, .. extraArguments]);

    public static IReadOnlyList<Manifest> Render(Cluster cluster, IEnumerable<string> extraArguments)
    {
        var result = TryRender(cluster, extraArguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("helm template failed: " + result.Describe());
        }

        return Manifests.Parse(result.StandardOutput, "helm template");
    }

    public static IReadOnlyList<Manifest> Render(ChartCase chartCase, params string[] extraArguments) =>
        Render(chartCase.Cluster, [.. chartCase.ValuesArguments, .. extraArguments]);
}
