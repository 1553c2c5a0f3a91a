namespace Charts.Tests.Infrastructure;

/// <summary>Renders the chart with real helm.</summary>
public static class Renderer
{
    /// <summary>`helm template` (with the test pod and hooks); throws with helm's message on failure.</summary>
    public static IReadOnlyList<Manifest> Render(IEnumerable<string> extraArguments)
    {
        var result = TryRender(extraArguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("helm template failed: " + result.Describe());
        }

        return Manifests.Parse(result.StandardOutput, "helm template");
    }

    public static ProcessResult TryRender(IEnumerable<string> extraArguments) =>
        Tools.RunHelm([
            "template", ChartCase.Release, Repository.Chart, "--namespace", ChartCase.Namespace, .. extraArguments]);

    public static IReadOnlyList<Manifest> Render(ChartCase chartCase, params string[] extraArguments) =>
        Render([.. chartCase.ValuesArguments, .. extraArguments]);
}
