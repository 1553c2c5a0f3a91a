namespace Delivery.Tests;

/// <summary>
/// scripts/deploy/blue-green-deploy.sh's checks before it touches a cluster: helm and kubectl are stand-ins that
/// print their arguments and fail, so no test reaches a real cluster.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("deploy-script-").FullName;
    private readonly string _tool;

    public DeployScriptTests()
    {
        _tool = Path.Combine(_directory, "tool");
        File.WriteAllText(_tool, "#!/bin/sh\necho \"tool $*\" >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A stand-in helm that knows a release with blue live, applied the given way; its first upgrade fails.</summary>
    private string HelmWithRelease(string applyMethod)
    {
        var helm = Path.Combine(_directory, "helm-" + applyMethod);
        File.WriteAllText(helm, $$"""
            #!/bin/sh
            case "$1 $2" in
              "status "*) exit 0 ;;
              "get values") echo "activeSlot: blue" ;;
              "get metadata") echo '{"name":"company-service1","version":7,"applyMethod":"{{applyMethod}}"}' ;;
              *) echo "helm $*" >&2; exit 1 ;;
            esac

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(helm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return helm;
    }

    private Task<(int ExitCode, string Output)> DeployAsync(params string[] settings) =>
        ProcessRunner.RunAsync(
            "env",
            ["-u", "VALUES_FILE", $"HELM={_tool}", $"KUBECTL={_tool}", "RELEASE=company-service1", "NAMESPACE=shop", "IMAGE_TAG=1.4.0",
             .. settings, "scripts/deploy/blue-green-deploy.sh"],
            TimeSpan.FromSeconds(30),
            Repository.Root);

    [Fact]
    public async Task Without_a_values_file_it_refuses_to_deploy()
    {
        var (exitCode, output) = await DeployAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("set VALUES_FILE", output, StringComparison.Ordinal);
        Assert.DoesNotContain("tool ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_values_file_that_sets_the_live_slot_is_refused()
    {
        var values = Path.Combine(_directory, "values.yaml");
        await File.WriteAllTextAsync(values, "replicaCount: 2\nactiveSlot: green\n");

        var (exitCode, output) = await DeployAsync($"VALUES_FILE={values}");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("sets activeSlot or slots", output, StringComparison.Ordinal);
        Assert.DoesNotContain("tool ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public async Task The_first_install_of_an_environment_uses_its_values_file(string environment)
    {
        // The stand-in helm knows no release, so this is a first install; it fails, which ends the script there.
        var (exitCode, output) = await DeployAsync($"DEPLOY_ENVIRONMENT_FILE=deploy/environments/{environment}.env");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("tool upgrade --install company-service1 ", output, StringComparison.Ordinal);
        Assert.Contains($"--values deploy/environments/{environment}.values.yaml", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_side_release_is_upgraded_over_the_fields_a_rollout_undo_took()
    {
        var (exitCode, output) = await DeployAsync($"HELM={HelmWithRelease("ssa")}", "VALUES_FILE=deploy/environments/staging.values.yaml");

        Assert.NotEqual(0, exitCode);
        var upgrade = Assert.Single(output.Split('\n'), l => l.StartsWith("helm upgrade company-service1 ", StringComparison.Ordinal));
        Assert.Contains(" --force-conflicts ", upgrade, StringComparison.Ordinal);
        Assert.Contains("--set slots.green.image.tag=1.4.0", upgrade, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_side_release_is_upgraded_without_the_server_side_flag()
    {
        var (exitCode, output) = await DeployAsync($"HELM={HelmWithRelease("csa")}", "VALUES_FILE=deploy/environments/staging.values.yaml");

        Assert.NotEqual(0, exitCode);
        var upgrade = Assert.Single(output.Split('\n'), l => l.StartsWith("helm upgrade company-service1 ", StringComparison.Ordinal));
        Assert.DoesNotContain("--force-conflicts", upgrade, StringComparison.Ordinal);
    }
}
