using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// `helm install` with the defaults must work on any cluster: objects whose CRDs a cluster lacks would make the
/// whole install fail, so "auto" renders them only where the cluster serves their API, and a value forces them.
/// </summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class ClusterCapabilityTests(RenderedSets sets)
{
    private static readonly string[] CoreApis = ["v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1", "autoscaling/v2"];
    //#if (istio)
    private static readonly string[] IstioKinds = ["VirtualService", "DestinationRule", "EnvoyFilter", "PeerAuthentication", "AuthorizationPolicy"];
    //#endif
    private static readonly string[] MonitoringKinds = ["ServiceMonitor", "PrometheusRule"];

    [Fact]
    public void The_defaults_on_a_plain_cluster_render_only_core_Kubernetes_objects()
    {
        var manifests = sets["plain-cluster"];

        Assert.All(manifests, m => Assert.Contains(m.ApiVersion, CoreApis));
        Assert.Equal(2, manifests.OfKind("Deployment").Count());
        Assert.All(manifests.Pods(), pod => Assert.False(pod.Labels.ContainsKey("sidecar.istio.io/inject"), $"{pod} asks for a sidecar"));
    }
    //#if (istio)

    [Fact]
    public void The_defaults_on_an_Istio_cluster_add_the_mesh_objects_and_sidecars_but_no_monitoring_objects()
    {
        var manifests = sets["istio-cluster"];

        Assert.All(IstioKinds, kind => Assert.Single(manifests.OfKind(kind)));
        Assert.All(MonitoringKinds, kind => Assert.Empty(manifests.OfKind(kind)));
        Assert.All(manifests.Pods().Where(p => p.IsServer), pod => Assert.Equal("true", pod.Labels["sidecar.istio.io/inject"]));
    }
    //#endif

    [Fact]
    public void The_defaults_on_a_prometheus_operator_cluster_add_the_monitoring_objects_only()
    {
        var manifests = sets["prometheus-operator-cluster"];

        Assert.All(MonitoringKinds, kind => Assert.Single(manifests.OfKind(kind)));
        Assert.All(manifests, m => Assert.Contains(m.ApiVersion, CoreApis.Append("monitoring.coreos.com/v1")));
    }

    [Fact]
    public void Argo_mode_on_an_Argo_Rollouts_cluster_renders_the_Rollout_and_its_analysis_without_other_CRDs()
    {
        var manifests = sets["argo-rollouts-cluster"];

        Assert.Single(manifests.OfKind("Rollout"));
        Assert.Single(manifests.OfKind("AnalysisTemplate"));
        Assert.Empty(manifests.OfKind("Deployment"));
        Assert.All(manifests, m => Assert.Contains(m.ApiVersion, CoreApis.Append("argoproj.io/v1alpha1")));
    }

    [Fact]
    public void Argo_mode_for_a_cluster_without_Argo_Rollouts_fails_with_one_clear_message()
    {
        var result = Renderer.TryRender(Cluster.Plain, ["--set", "rollout.engine=argo"]);

        Assert.False(result.Succeeded, "a release without any workload rendered");
        Assert.Contains("rollout.engine=argo needs the Argo Rollouts CRDs", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void True_renders_the_CRD_backed_objects_for_a_cluster_helm_cannot_see()
    {
        var manifests = Renderer.Render(Cluster.Plain, [
            //#if (istio)
            "--set", "istio.enabled=true",
            //#endif
            "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.prometheusRule.enabled=true"]);

        Assert.All(MonitoringKinds, kind => Assert.Single(manifests.OfKind(kind)));
        //#if (istio)
        Assert.All(IstioKinds, kind => Assert.Single(manifests.OfKind(kind)));
        //#endif
    }

    [Fact]
    public void False_leaves_them_out_even_where_the_cluster_serves_them()
    {
        var manifests = Renderer.Render(Cluster.Full, [
            //#if (istio)
            "--set", "istio.enabled=false",
            //#endif
            "--set", "metrics.serviceMonitor.enabled=false", "--set", "metrics.prometheusRule.enabled=false"]);

        Assert.All(manifests, m => Assert.Contains(m.ApiVersion, CoreApis));
    }

    [Fact]
    public void The_install_notes_name_what_was_left_out_and_the_value_that_forces_it()
    {
        var plain = Notes();
        var forcedOff = Notes(
            //#if (istio)
            "--set", "istio.enabled=false",
            //#endif
            "--set", "metrics.serviceMonitor.enabled=false", "--set", "metrics.prometheusRule.enabled=false");

        Assert.Contains("LEFT OUT: this cluster does not serve their APIs", plain, StringComparison.Ordinal);
        Assert.Contains("metrics.serviceMonitor.enabled", plain, StringComparison.Ordinal);
        Assert.Contains("metrics.prometheusRule.enabled", plain, StringComparison.Ordinal);
        //#if (istio)
        Assert.Contains("istio.enabled", plain, StringComparison.Ordinal);
        //#endif
        Assert.DoesNotContain("LEFT OUT", forcedOff, StringComparison.Ordinal);
    }

    /// <summary>The NOTES of a client-side dry-run install: what `helm install` prints on a cluster without CRDs.</summary>
    private static string Notes(params string[] arguments)
    {
        var result = Tools.RunHelm([
            "install", ChartCase.Release, Repository.Chart, "--namespace", ChartCase.Namespace, "--dry-run=client", .. arguments]);
        Assert.True(result.Succeeded, result.Describe());
        var notes = result.StandardOutput.IndexOf("NOTES:", StringComparison.Ordinal);
        Assert.True(notes >= 0, "no NOTES in: " + result.StandardOutput);
        return result.StandardOutput[notes..];
    }
}
