using Charts.Tests.Infrastructure;

namespace Charts.Tests;

public sealed class ValuesSchemaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("chart-values-").FullName;

    [Theory]
    [InlineData("replicaCount: two\n", "/replicaCount")]
    [InlineData("replicas: 3\n", "additional properties 'replicas' not allowed")]
    [InlineData("activeSlot: purple\n", "/activeSlot")]
    [InlineData("image:\n  repository: r\n  tag: latest\n  pullPolicy: IfNotPresent\n", "/image/tag")]
    [InlineData("database:\n  existingSecret: db\n  existingSecretKey: k\n  password: hunter2\n", "additional properties 'password' not allowed")]
    [InlineData("istio:\n  enabled: \"yes\"\n", "/istio/enabled")]
    [InlineData("probes:\n  readinesProbe: {}\n", "additional properties 'readinesProbe' not allowed")]
    [InlineData("image:\n  repository: r\n  tag: \"1.0\"\n  pullPolicy: IfNotPresent\n  digest: 0123abcd\n", "/image/digest")]
    [InlineData("slots:\n  green:\n    enabled: true\n    image: {}\n    config:\n      logLevl: Debug\n", "additional properties 'logLevl' not allowed")]
    public void The_values_schema_rejects_a_bad_values_file(string values, string expected)
    {
        var result = Renderer.TryRender(["--values", Write(values)]);

        Assert.False(result.Succeeded, "helm accepted the values file");
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30")]
    // Outlasts the drain, but leaves the flush on exit too little time.
    [InlineData("35")]
    public void A_grace_period_shorter_than_the_drain_and_flush_budget_is_refused(string seconds)
    {
        var result = Renderer.TryRender(["--set", $"terminationGracePeriodSeconds={seconds}"]);

        Assert.False(result.Succeeded);
        Assert.Contains("must be at least drain.delaySeconds + drain.timeoutSeconds + 10 s of flushing (40)", result.StandardError, StringComparison.Ordinal);
    }

    //#if (windows && istio)
    [Fact]
    public void Windows_pods_with_an_Istio_sidecar_are_refused()
    {
        var result = Renderer.TryRender(["--set", "windows.enabled=true", "--set", "istio.enabled=true"]);

        Assert.False(result.Succeeded);
        Assert.Contains("Istio sidecars do not run on Windows", result.StandardError, StringComparison.Ordinal);
    }

    //#endif

    [Fact]
    public void An_active_slot_that_is_turned_off_is_refused()
    {
        var result = Renderer.TryRender(["--set", "activeSlot=green", "--set", "slots.green.enabled=false"]);

        Assert.False(result.Succeeded);
        Assert.Contains("traffic would go nowhere", result.StandardError, StringComparison.Ordinal);
    }

    private string Write(string values)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, values);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
