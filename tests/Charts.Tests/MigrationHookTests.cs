using System.Text.Json.Nodes;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// The migration hook runs only when an upgrade changes what runs against the database, decided by `lookup` of the
/// live slot Deployments: helm renders against a stub API server that holds them. (Plain `helm template` has no
/// cluster and always renders the Job: ConfigurationTests.)
/// </summary>
public sealed class MigrationHookTests : IDisposable
{
    private static readonly ChartCase BeforeSwitch = ChartCase.Named("blue-active");
    private readonly StubKubernetesApi _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public void A_switch_and_a_switch_back_run_no_hook()
    {
        RunLive(BeforeSwitch, "blue", "green");

        Assert.Empty(UpgradeHooks(Upgrade("--set", "activeSlot=green")));
        Assert.Empty(UpgradeHooks(Upgrade("--set", "activeSlot=blue")));
    }

    [Fact]
    public void A_new_image_on_the_idle_slot_is_migrated_first()
    {
        RunLive(BeforeSwitch, "blue", "green");

        var manifests = Upgrade("--set", "slots.green.image.tag=1.6.0");

        Assert.Contains("ghcr.io/example/company-service1:1.6.0", MigrationImages(manifests));
        Assert.Contains(UpgradeHooks(manifests), h => h.Id == "ServiceAccount/company-service1-migrate");
    }

    [Fact]
    public void Another_database_Secret_is_migrated_even_with_the_same_images()
    {
        RunLive(BeforeSwitch, "blue", "green");

        Assert.NotEmpty(MigrationImages(Upgrade("--set", "database.existingSecret=company-service1-db-restored")));
    }

    [Fact]
    public void A_slot_that_does_not_run_yet_is_migrated()
    {
        RunLive(BeforeSwitch, "blue");

        Assert.Contains("ghcr.io/example/company-service1:1.5.0", MigrationImages(Upgrade()));
    }

    [Fact]
    public void An_install_migrates()
    {
        Assert.Equal(
            ["ghcr.io/example/company-service1:1.4.0", "ghcr.io/example/company-service1:1.5.0"],
            MigrationImages(Upgrade()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Under_Argo_Rollouts_only_a_new_image_of_the_Rollout_migrates()
    {
        var argo = ChartCase.Named("argo-rollouts");
        foreach (var rollout in Renderer.Render(argo).OfKind("Rollout"))
        {
            _cluster.Put("argoproj.io/v1alpha1", "rollouts", ChartCase.Namespace, rollout.Body);
        }

        Assert.Empty(UpgradeHooks(_cluster.RenderUpgrade([.. argo.ValuesArguments])));
        Assert.Equal(["ghcr.io/example/company-service1:1.6.0"], MigrationImages(_cluster.RenderUpgrade([.. argo.ValuesArguments, "--set", "image.tag=1.6.0"])));
    }

    /// <summary>Puts the named slots' Deployments, as BeforeSwitch renders them, into the stub cluster.</summary>
    private void RunLive(ChartCase chartCase, params string[] slots)
    {
        foreach (var deployment in Renderer.Render(chartCase).OfKind("Deployment").Where(d => slots.Any(s => d.Name.EndsWith("-" + s, StringComparison.Ordinal))))
        {
            _cluster.Put("apps/v1", "deployments", ChartCase.Namespace, deployment.Body);
        }
    }

    private IReadOnlyList<Manifest> Upgrade(params string[] arguments) =>
        _cluster.RenderUpgrade([.. BeforeSwitch.ValuesArguments, .. arguments]);

    private static List<Manifest> UpgradeHooks(IEnumerable<Manifest> manifests) =>
        [.. manifests.Where(m => m.Body.At("metadata.annotations")?["helm.sh/hook"]?.ToString().Contains("pre-upgrade", StringComparison.Ordinal) == true)];

    private static List<string> MigrationImages(IEnumerable<Manifest> manifests)
    {
        var job = Assert.Single(manifests.OfKind("Job"));
        var spec = (JsonObject)job.Body.At("spec.template.spec")!;
        return [.. spec.Objects("initContainers").Concat(spec.Objects("containers")).Select(c => c.Text("image")!)];
    }
}
