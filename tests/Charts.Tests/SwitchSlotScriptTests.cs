using System.Text.Json.Nodes;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// k8s/switch-slot.sh against a stand-in kubectl (no cluster can run here): it records the calls, and the JSON patches
/// the script sends are applied to the committed manifests to show what the switch really does.
/// The live switch runs in the kind job of the CI workflow.
/// </summary>
public sealed class SwitchSlotScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switch-slot-").FullName;

    private const string FakeKubectl = """
        #!/usr/bin/env bash
        set -euo pipefail
        echo "$*" >>"$FAKE_DIR/calls"
        case "$*" in
          *" get service "*) [[ "$FAKE_ACTIVE" == missing ]] && exit 1; printf '%s' "$FAKE_ACTIVE" ;;
          *" rollout status "*) exit "$FAKE_ROLLOUT_RC" ;;
          *" patch "*) printf '%s' "${@: -1}" >"$FAKE_DIR/patch-$4-$5" ;;
          *) exit 99 ;;
        esac
        """;

    [Fact]
    public void Switching_to_green_sends_all_default_traffic_to_green_and_the_preview_to_blue()
    {
        var result = Switch("green", active: "blue");
        Assert.True(result.Succeeded, result.Describe());

        var services = Manifests.Load(Path.Combine(Repository.PlainManifests, "service.yaml")).ToDictionary(m => m.Name, m => m.Body);
        JsonPatch.Apply(services["company-service1"], File.ReadAllText(Path.Combine(_directory, "patch-service-company-service1")));
        JsonPatch.Apply(services["company-service1-preview"], File.ReadAllText(Path.Combine(_directory, "patch-service-company-service1-preview")));

        Assert.Equal("green", services["company-service1"].Labels("spec.selector")["slot"]);
        Assert.Equal("blue", services["company-service1-preview"].Labels("spec.selector")["slot"]);
        Assert.Contains("rollout status deployment/company-service1-green", File.ReadAllText(Path.Combine(_directory, "calls")), StringComparison.Ordinal);
    }

    //#if (istio)
    [Fact]
    public void Switching_to_green_moves_the_mesh_routes_default_to_green_and_the_header_route_to_blue()
    {
        var result = Switch("green", active: "blue");
        Assert.True(result.Succeeded, result.Describe());

        var vs = Manifests.Load(Path.Combine(Repository.PlainManifests, "istio-virtualservice.yaml")).Single().Body;
        JsonPatch.Apply(vs, File.ReadAllText(Path.Combine(_directory, "patch-virtualservice-company-service1")));
        var routes = vs.Objects("spec.http").ToList();

        var header = new Dictionary<string, string> { ["x-slot"] = "blue" };
        foreach (var method in new[] { "GET", "POST" })
        {
            Assert.Equal("blue", Subset(new MeshRequest("mesh", method, "/api/orders", header).RouteIn(vs)));
            Assert.Equal("green", Subset(new MeshRequest("mesh", method, "/api/orders").RouteIn(vs)));
            Assert.Equal("green", Subset(new MeshRequest("istio-system/public-gateway", method, "/api/orders", header).RouteIn(vs)));
        }

        Assert.DoesNotContain(routes.SelectMany(r => r.Objects("route")), d => d.Text("destination.subset") is not ("blue" or "green"));
        Assert.Equal("green", vs.At("metadata.annotations")!["blue-green.example.com/active-slot"]!.ToString());
    }

    private static string? Subset(JsonObject? route) => route?.Objects("route").Single().Text("destination.subset");

    //#endif
    [Fact]
    public void The_VirtualService_is_patched_only_where_the_manifests_have_one()
    {
        var result = Switch("green", active: "blue");
        Assert.True(result.Succeeded, result.Describe());

        Assert.Equal(
            File.Exists(Path.Combine(Repository.PlainManifests, "istio-virtualservice.yaml")),
            File.Exists(Path.Combine(_directory, "patch-virtualservice-company-service1")));
    }

    [Fact]
    public void Switching_to_the_active_slot_changes_nothing()
    {
        var result = Switch("blue", active: "blue");

        Assert.True(result.Succeeded, result.Describe());
        Assert.Contains("already the active slot", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_directory, "patch-*"));
    }

    [Fact]
    public void A_slot_that_is_not_rolled_out_is_not_switched_to()
    {
        var result = Switch("green", active: "blue", rolloutExitCode: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not ready; not switching", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_directory, "patch-*"));
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

        return Command.Run(
            Repository.Script("k8s/switch-slot.sh"),
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

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
