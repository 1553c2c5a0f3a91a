using Charts.Tests.Infrastructure;

namespace Charts.Tests;

public sealed class ChartLintTests
{
    [Theory]
    [MemberData(nameof(ChartCase.Names), MemberType = typeof(ChartCase))]
    public void Helm_lint_strict_passes(string name)
    {
        var result = Tools.RunHelm(["lint", "--strict", Repository.Chart, .. ChartCase.Named(name).ValuesArguments]);

        Assert.True(result.Succeeded, result.Describe());
    }

    [Fact]
    public void Release_notes_tell_how_to_reach_watch_and_roll_back()
    {
        var result = Tools.RunHelm([
            "install", ChartCase.Release, Repository.Chart, "--namespace", ChartCase.Namespace, "--dry-run=client",
            //#if (istio)
            "--set", "istio.enabled=true",
            //#endif
            "--values", Path.Combine(Repository.Cases, "blue-active.yaml")]);
        Assert.True(result.Succeeded, result.Describe());
        var notes = result.StandardOutput[result.StandardOutput.IndexOf("NOTES:", StringComparison.Ordinal)..];

        Assert.Contains("port-forward svc/company-service1", notes, StringComparison.Ordinal);
        Assert.Contains("rollout status deployment/company-service1-blue", notes, StringComparison.Ordinal);
        Assert.Contains("--set activeSlot=green", notes, StringComparison.Ordinal);
        Assert.Contains("rollout undo deployment/company-service1-", notes, StringComparison.Ordinal);
        //#if (istio)
        Assert.Contains("x-slot: green", notes, StringComparison.Ordinal);
        //#endif
    }
}
