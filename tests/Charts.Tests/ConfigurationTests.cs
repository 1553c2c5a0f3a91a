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
    public void Servers_read_an_immutable_content_named_ConfigMap_that_Helm_keeps(string set)
    {
        var configMaps = rendered[set].OfKind("ConfigMap").ToDictionary(c => c.Name);
        foreach (var server in rendered[set].Servers())
        {
            var name = Assert.Single(server.Spec.Objects("containers").Single().Objects("envFrom")).Text("configMapRef.name")!;
            var config = configMaps[name].Body;
            Assert.Equal("true", config.Text("immutable"));
            Assert.Matches("^company-service1-config-[0-9a-f]{10}$", name);
            Assert.Equal("keep", config.At("metadata.annotations")!["helm.sh/resource-policy"]!.ToString());
        }
    }

    [Fact]
    public void Changing_configuration_renames_the_ConfigMap_and_rolls_new_pods()
    {
        var before = Renderer.Render([]);
        var again = Renderer.Render([]);
        var after = Renderer.Render(["--set", "config.logLevel=Debug"]);

        Assert.Equal(ConfigName(before), ConfigName(again));
        Assert.NotEqual(ConfigName(before), ConfigName(after));
        Assert.All(after.Servers(), s => Assert.Equal(ConfigName(after), s.Spec.Objects("containers").Single().Objects("envFrom").Single().Text("configMapRef.name")));
        Assert.Equal("Debug", after.OfKind("ConfigMap").Single(c => c.Name == ConfigName(after)).Body.At("data")!["Logging__LogLevel__Default"]!.ToString());
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

        Assert.Empty(rendered["blue-active"].OfKind("Secret"));
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

    private static string ConfigName(IEnumerable<Manifest> manifests) =>
        manifests.OfKind("ConfigMap").Single(c => c.Name.StartsWith("company-service1-config-", StringComparison.Ordinal)).Name;
}
