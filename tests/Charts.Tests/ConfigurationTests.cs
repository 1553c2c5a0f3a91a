//#if (postgres)
using System.Text.Json.Nodes;
//#endif
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// Configuration is immutable and content-named, so `kubectl rollout undo` brings back a ReplicaSet whose pods
/// reference the ConfigMap they were rolled out with; secrets only ever come from an existing Secret.
/// </summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class ConfigurationTests(RenderedSets rendered)
{
    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Servers_read_an_immutable_content_named_ConfigMap_that_stays_inside_the_release(string set)
    {
        var configMaps = rendered[set].OfKind("ConfigMap").ToDictionary(c => c.Name);
        foreach (var server in rendered[set].Servers())
        {
            var name = ConfigMapOf(server);
            var config = configMaps[name].Body;
            Assert.Equal("true", config.Text("immutable"));
            // Each slot Deployment reads its own slot's ConfigMap; the Argo Rollout (no slot label) the shared one.
            var slot = server.Labels.TryGetValue("slot", out var s) ? s + "-" : "";
            Assert.Matches($"^company-service1-{slot}config-[0-9a-f]{{10}}$", name);
            // resource-policy: keep would leave older ones outside the release, where `helm rollback` fails (RetainedConfigMapTests).
            Assert.Null(config.At("metadata.annotations")?["helm.sh/resource-policy"]);
        }
    }

    [Fact]
    public void Changing_configuration_renames_the_ConfigMap_and_rolls_new_pods()
    {
        var before = Renderer.Render([]);
        var again = Renderer.Render([]);
        var after = Renderer.Render(["--set", "config.logLevel=Debug"]);

        Assert.Equal(ConfigMapOf(before, "blue"), ConfigMapOf(again, "blue"));
        Assert.NotEqual(ConfigMapOf(before, "blue"), ConfigMapOf(after, "blue"));
        Assert.Equal("Debug", Setting(after, "blue", "Logging__LogLevel__Default"));
    }

    [Fact]
    public void A_shared_configuration_change_rolls_both_slots_the_live_one_included()
    {
        var before = Renderer.Render(ChartCase.Named("blue-active"));
        var after = Renderer.Render(ChartCase.Named("blue-active"), "--set", "config.logLevel=Debug");

        Assert.All(["blue", "green"], slot =>
        {
            Assert.NotEqual(PodTemplateOf(before, slot), PodTemplateOf(after, slot));
            Assert.Equal("Debug", Setting(after, slot, "Logging__LogLevel__Default"));
        });
    }

    [Fact]
    public void A_configuration_change_for_the_idle_slot_leaves_the_live_slots_pod_template_byte_identical()
    {
        var before = Renderer.Render(ChartCase.Named("blue-active"));
        var after = Renderer.Render(ChartCase.Named("blue-active"), "--set", "slots.green.config.logLevel=Debug");

        Assert.Equal(PodTemplateOf(before, "blue"), PodTemplateOf(after, "blue"));
        Assert.Equal(ConfigMapOf(before, "blue"), ConfigMapOf(after, "blue"));
        Assert.NotEqual(PodTemplateOf(before, "green"), PodTemplateOf(after, "green"));
        Assert.Equal("Debug", Setting(after, "green", "Logging__LogLevel__Default"));
        Assert.Equal("Information", Setting(after, "blue", "Logging__LogLevel__Default"));
    }

    [Fact]
    public void A_slots_overrides_are_laid_over_the_shared_configuration_key_by_key()
    {
        var manifests = Renderer.Render([
            "--set", "config.drillsEnabled=true", "--set", "config.extra.Shared__Setting=a", "--set", "config.extra.Overridden__Setting=b",
            "--set", "slots.green.config.drillsEnabled=false", "--set", "slots.green.config.rateLimitPermitsPerSecond=0",
            "--set", "slots.green.config.extra.Overridden__Setting=c"]);

        // false and 0 override too: a slot can turn a shared setting off.
        Assert.Equal("false", Setting(manifests, "green", "Drills__Enabled"));
        Assert.Equal("0", Setting(manifests, "green", "RateLimit__PermitsPerSecond"));
        Assert.Equal("a", Setting(manifests, "green", "Shared__Setting"));
        Assert.Equal("c", Setting(manifests, "green", "Overridden__Setting"));
        Assert.Equal("true", Setting(manifests, "blue", "Drills__Enabled"));
        Assert.Equal("b", Setting(manifests, "blue", "Overridden__Setting"));
    }

    [Fact]
    public void The_per_client_rate_limit_reaches_both_slots_and_0_turns_it_off()
    {
        var defaults = Renderer.Render([]);
        var off = Renderer.Render(["--set", "config.rateLimitPermitsPerClientPerSecond=0"]);

        Assert.All(["blue", "green"], slot =>
        {
            Assert.Equal("100", Setting(defaults, slot, "RateLimit__PermitsPerClientPerSecond"));
            Assert.Equal("0", Setting(off, slot, "RateLimit__PermitsPerClientPerSecond"));
        });
    }

    [Fact]
    public void The_Argo_Rollout_reads_one_ConfigMap_built_from_the_shared_configuration()
    {
        var manifests = Renderer.Render(ChartCase.Named("argo-rollouts"), "--api-versions", "argoproj.io/v1alpha1", "--set", "slots.green.config.logLevel=Debug");

        var config = Assert.Single(manifests.OfKind("ConfigMap"), c => c.Name.Contains("-config-", StringComparison.Ordinal));
        Assert.Equal(config.Name, ConfigMapOf(Assert.Single(manifests.Servers())));
        Assert.Equal("Information", config.Body.At("data")!["Logging__LogLevel__Default"]!.ToString());
    }

    //#if (postgres)
    [Fact]
    public void The_connection_string_comes_from_the_existing_Secret_only()
    {
        foreach (var pod in rendered["blue-active"].Pods().Where(p => p.Owner.Kind != "Pod"))
        {
            var env = pod.Spec.Objects("containers").Single().Objects("env").Single(e => e.Text("name") == "ConnectionStrings__Postgres");
            Assert.Equal("company-service1-db", env.Text("valueFrom.secretKeyRef.name"));
            Assert.Equal("connection-string", env.Text("valueFrom.secretKeyRef.key"));
            Assert.Null(env["value"]);
        }

        // The chart's only Secret is the signing key it generates (AuthenticationTests); never a database credential.
        Assert.Equal(["company-service1-jwt"], rendered["blue-active"].OfKind("Secret").Select(s => s.Name));
    }

    //#endif

    [Fact]
    public void Without_a_Secret_there_is_no_connection_string_and_no_migration_Job()
    {
        var manifests = rendered["defaults"];

        Assert.Empty(manifests.OfKind("Job"));
        Assert.All(manifests.Servers(), s => Assert.DoesNotContain(
            s.Spec.Objects("containers").Single().Objects("env"), e => e.Text("name") == "ConnectionStrings__Postgres"));
    }

    //#if (postgres)
    [Fact]
    public void Migrations_run_as_a_pre_install_and_pre_upgrade_hook_with_their_own_ServiceAccount()
    {
        var manifests = rendered["blue-active"];
        var job = manifests.OfKind("Job").Single();
        var annotations = job.Body.At("metadata.annotations")!;
        var account = manifests.Named("ServiceAccount", job.Body.Text("spec.template.spec.serviceAccountName")!);

        Assert.Equal("pre-install,pre-upgrade", annotations["helm.sh/hook"]!.ToString());
        // Every slot's image migrates, so the slot that got the new version has its schema whichever slot it is.
        var migrations = new PodTemplate(job, new JsonObject(), (JsonObject)job.Body.At("spec.template.spec")!).AllContainers.ToList();
        Assert.Equal(["ghcr.io/example/company-service1:1.4.0", "ghcr.io/example/company-service1:1.5.0"], migrations.Select(c => c.Text("image")).Order(StringComparer.Ordinal));
        Assert.All(migrations, c => Assert.Equal(["migrate"], c["args"]!.AsArray().Select(a => a!.ToString())));
        Assert.Contains("before-hook-creation", annotations["helm.sh/hook-delete-policy"]!.ToString(), StringComparison.Ordinal);
        // The account is a hook too, created first: the chart's normal objects do not exist yet when hooks run.
        Assert.Equal("pre-install,pre-upgrade", account.Body.At("metadata.annotations")!["helm.sh/hook"]!.ToString());
        Assert.True(
            int.Parse(account.Body.At("metadata.annotations")!["helm.sh/hook-weight"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)
            < int.Parse(annotations["helm.sh/hook-weight"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(job.Body.Text("spec.activeDeadlineSeconds"));
    }

    [Fact]
    public void The_migration_hooks_do_not_outlive_their_run_so_uninstall_leaves_nothing_behind()
    {
        // Helm never deletes hook objects on uninstall: only a delete policy removes them.
        var manifests = rendered["blue-active"];
        var job = manifests.OfKind("Job").Single();
        var account = manifests.Named("ServiceAccount", job.Body.Text("spec.template.spec.serviceAccountName")!);

        Assert.Equal(["before-hook-creation", "hook-succeeded"], DeletePolicies(account));
        Assert.Equal(["before-hook-creation", "hook-succeeded"], DeletePolicies(job));
        // A failed Job stays for its logs, then the TTL controller removes it.
        Assert.NotNull(job.Body.Text("spec.ttlSecondsAfterFinished"));
    }

    //#endif

    [Fact]
    public void Helm_test_checks_readyz_and_version_through_the_Service()
    {
        var test = rendered["blue-active"].Pods().Single(p => p.Owner.Kind == "Pod");
        var urls = test.AllContainers.Select(c => c["args"]!.AsArray().Select(a => a!.ToString()).ToList()).ToList();

        Assert.Equal("test", test.Metadata.At("annotations")!["helm.sh/hook"]!.ToString());
        Assert.Contains(["healthcheck", "http://company-service1.apps.svc:8080/readyz"], urls);
        Assert.Contains(["healthcheck", "http://company-service1.apps.svc:8080/version"], urls);
    }

    private static string[] DeletePolicies(Manifest hook) =>
        [.. hook.Body.At("metadata.annotations")!["helm.sh/hook-delete-policy"]!.ToString().Split(',').Order(StringComparer.Ordinal)];

    private static string ConfigMapOf(PodTemplate server) =>
        Assert.Single(server.Spec.Objects("containers").Single().Objects("envFrom")).Text("configMapRef.name")!;

    private static string ConfigMapOf(IEnumerable<Manifest> manifests, string slot) =>
        ConfigMapOf(manifests.Servers().Single(s => s.Owner.Name == $"company-service1-{slot}"));

    private static string PodTemplateOf(IEnumerable<Manifest> manifests, string slot) =>
        manifests.Named("Deployment", $"company-service1-{slot}").Body.At("spec.template")!.ToJsonString();

    private static string Setting(IReadOnlyList<Manifest> manifests, string slot, string name) =>
        manifests.Named("ConfigMap", ConfigMapOf(manifests, slot)).Body.At("data")![name]!.ToString();
}
