namespace Observability.Tests.Prometheus;

/// <summary>The rule file passes promtool's checks and its unit tests (Rules/rules-test.yaml).</summary>
public sealed class PromtoolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Rule_file_passes_promtool_check_rules()
    {
        var (exitCode, output) = await ProcessRunner.RunAsync("promtool", ["check", "rules", ServiceUnderTraffic.RuleFile], Timeout);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Alerts_fire_as_specified_in_the_promtool_unit_tests()
    {
        var tests = Path.Combine(PublishedService.RepositoryRoot(), "tests", "Observability.Tests", "Rules", "rules-test.yaml");

        var (exitCode, output) = await ProcessRunner.RunAsync("promtool", ["test", "rules", tests], Timeout);

        Assert.True(exitCode == 0, output);
    }
}
