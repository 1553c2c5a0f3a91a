namespace Delivery.Tests;

/// <summary>
/// e2e_switch (scripts/e2e/lib.sh), which the kind e2e runs for every switch, with stand-in helm and kubectl: it
/// passes a traffic-only switch, prints its seconds, and fails one that ran a hook or changed a Deployment.
/// </summary>
public sealed class E2eSwitchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("e2e-switch-").FullName;

    public E2eSwitchTests()
    {
        // helm: "upgrade" marks that the switch happened, "get hooks" prints hooks.txt.
        Tool("helm", """
            case "$1" in
              upgrade) touch "$STATE/upgraded" ;;
              get) cat "$STATE/hooks.txt" 2>/dev/null ;;
            esac
            """);
        // kubectl: the slot Deployments' generations (green's bumped after the upgrade when bump.txt exists), and
        // the in-cluster client's curl of /version, always answered by green.
        Tool("kubectl", """
            case "$*" in
              *"get deployments"*)
                green=1
                [ -e "$STATE/upgraded" ] && [ -e "$STATE/bump.txt" ] && green=2
                printf 'company-service1-blue=1 company-service1-green=%s ' "$green" ;;
              *exec*) printf '{"version":"1.0.0-e2e.2","slot":"green"}' ;;
            esac
            """);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Tool(string name, string body)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private Task<(int ExitCode, string Output)> SwitchAsync() =>
        ProcessRunner.RunAsync(
            "env",
            [$"STATE={_directory}", $"HELM={_directory}/helm", $"KUBECTL={_directory}/kubectl",
             "bash", "-c", "source scripts/e2e/lib.sh && e2e_switch green 1.0.0-e2e.2"],
            TimeSpan.FromSeconds(60),
            Repository.Root);

    [Fact]
    public async Task A_traffic_only_switch_passes_and_prints_its_seconds()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "hooks.txt"), "---\n# Source: company-service1/templates/tests/test-connection.yaml\nmetadata:\n  annotations:\n    helm.sh/hook: test\n");

        var (exitCode, output) = await SwitchAsync();

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"switch to green: helm upgrade \d+\.\d s, every answer from green after \d+\.\d s", output);
    }

    [Fact]
    public async Task A_switch_that_ran_the_migration_hook_fails()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "hooks.txt"), "---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n");

        var (exitCode, output) = await SwitchAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("the switch to green ran a pre-upgrade hook", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_switch_that_changed_a_Deployment_fails()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "bump.txt"), "");

        var (exitCode, output) = await SwitchAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("the switch to green changed a slot Deployment", output, StringComparison.Ordinal);
    }
}
