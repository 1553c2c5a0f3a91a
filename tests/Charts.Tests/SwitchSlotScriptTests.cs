using System.Text.Json.Nodes;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// k8s/switch-slot.sh, run on a copy of k8s/ against a stand-in kubectl (no cluster can run here) that records the
/// calls: the rewritten manifests are compared with the chart's own rendering of the other slot.
/// </summary>
public sealed class SwitchSlotScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switch-slot-").FullName;
    private string Copy => Path.Combine(_directory, "k8s");

    private const string FakeKubectl = """
        #!/usr/bin/env bash
        set -euo pipefail
        echo "$*" >>"$FAKE_DIR/calls"
        case "$*" in
          *" get service "*) [[ "$FAKE_ACTIVE" == missing ]] && exit 1; printf '%s' "$FAKE_ACTIVE" ;;
          *" rollout status "*) exit "$FAKE_ROLLOUT_RC" ;;
          *" apply "*) ;;
          *) exit 99 ;;
        esac
        """;

    [Fact]
    public void Switching_to_green_rewrites_the_manifests_into_what_the_chart_renders_for_green_and_applies_them()
    {
        var result = Switch("green", active: "blue");
        Assert.True(result.Succeeded, result.Describe());

        var expected = Path.Combine(_directory, "expected");
        var render = Command.Run(Repository.Script("scripts/render-k8s-manifests.sh"), [expected, "--set", "activeSlot=green"], TimeSpan.FromMinutes(2));
        Assert.True(render.Succeeded, render.Describe());
        // The files that carry the slot (the others hold the ConfigMap's hash, which a generated service renders anew).
        foreach (var file in new[] { "service.yaml", "istio-virtualservice.yaml" }.Where(f => File.Exists(Path.Combine(expected, f))))
        {
            Assert.True(
                File.ReadAllText(Path.Combine(expected, file)) == File.ReadAllText(Path.Combine(Copy, file)),
                $"after the switch, {file} differs from the chart's rendering for activeSlot=green");
        }

        Assert.Contains("activeSlot: green", File.ReadAllText(Path.Combine(Copy, "source", "values.yaml")), StringComparison.Ordinal);
        var calls = File.ReadAllText(Path.Combine(_directory, "calls"));
        Assert.Contains("rollout status deployment/company-service1-green", calls, StringComparison.Ordinal);
        Assert.Contains($"apply -f {Copy}/service.yaml", calls, StringComparison.Ordinal);
    }

    [Fact]
    public void Switching_back_restores_the_committed_manifests_byte_for_byte()
    {
        Assert.True(Switch("green", active: "blue").Succeeded);
        var back = Switch("blue", active: "green");
        Assert.True(back.Succeeded, back.Describe());

        foreach (var file in Directory.EnumerateFiles(Repository.PlainManifests, "*.*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.PlainManifests, file);
            Assert.True(File.ReadAllText(file) == File.ReadAllText(Path.Combine(Copy, relative)), $"{relative} changed after switching there and back");
        }
    }

    [Fact]
    public void A_cluster_that_disagrees_with_the_committed_manifests_is_not_switched()
    {
        var result = Switch("blue", active: "green");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the cluster sends traffic to green, but", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(" apply ", File.ReadAllText(Path.Combine(_directory, "calls")), StringComparison.Ordinal);
    }

    [Fact]
    public void Switching_to_the_active_slot_changes_nothing()
    {
        var result = Switch("blue", active: "blue");

        Assert.True(result.Succeeded, result.Describe());
        Assert.Contains("already the active slot", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(" apply ", File.ReadAllText(Path.Combine(_directory, "calls")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_slot_that_is_not_rolled_out_is_not_switched_to()
    {
        var result = Switch("green", active: "blue", rolloutExitCode: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not ready; not switching", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(" apply ", File.ReadAllText(Path.Combine(_directory, "calls")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("purple", 2, "unknown slot 'purple'")]
    [InlineData("", 2, "usage:")]
    public void A_bad_argument_is_refused_with_usage(string slot, int exitCode, string message)
    {
        var result = Switch(slot, active: "blue");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_Service_is_reported_clearly()
    {
        var result = Switch("green", active: "missing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot read Service company-service1/company-service1", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_shell_scripts_are_shellcheck_clean()
    {
        var setup = Command.Run(Repository.Script("scripts/setup/shellcheck.sh"), [], TimeSpan.FromMinutes(5));
        Assert.True(setup.Succeeded, setup.Describe());
        string[] scripts =
        [
            "k8s/switch-slot.sh", "scripts/render-k8s-manifests.sh", "scripts/setup/helm.sh",
            "scripts/setup/k8s-schemas.sh", "scripts/setup/shellcheck.sh", "scripts/setup/prometheus.sh",
        ];

        var result = Command.Run("shellcheck", [.. scripts.Select(Repository.Script)], TimeSpan.FromMinutes(1));

        Assert.True(result.Succeeded, result.Describe());
    }

    private ProcessResult Switch(string slot, string active, int rolloutExitCode = 0)
    {
        var kubectl = Path.Combine(_directory, "kubectl");
        File.WriteAllText(kubectl, FakeKubectl.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!Directory.Exists(Copy))
        {
            CopyDirectory(Repository.PlainManifests, Copy);
        }

        return Command.Run(
            Path.Combine(Copy, "switch-slot.sh"),
            slot.Length == 0 ? [] : [slot],
            TimeSpan.FromMinutes(1),
            environment: new Dictionary<string, string>
            {
                ["KUBECTL"] = kubectl,
                ["FAKE_DIR"] = _directory,
                ["FAKE_ACTIVE"] = active,
                ["FAKE_ROLLOUT_RC"] = rolloutExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(to, "switch-slot.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
