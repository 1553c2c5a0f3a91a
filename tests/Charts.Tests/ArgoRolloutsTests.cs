using Charts.Tests.Infrastructure;

namespace Charts.Tests;

[Collection(RenderedSetsGroup.Name)]
public sealed class ArgoRolloutsTests(RenderedSets rendered)
{
    [Fact]
    public void The_argo_engine_replaces_the_slot_Deployments_with_a_blue_green_Rollout()
    {
        var manifests = rendered["argo-rollouts"];
        var strategy = manifests.OfKind("Rollout").Single().Body.At("spec.strategy.blueGreen");

        Assert.Empty(manifests.OfKind("Deployment"));
        Assert.Equal("service", strategy.Text("activeService"));
        Assert.Equal("service-preview", strategy.Text("previewService"));
        Assert.Contains(manifests, m => m.Id == "Service/service");
        Assert.Contains(manifests, m => m.Id == "Service/service-preview");
        Assert.Equal("false", strategy.Text("autoPromotionEnabled"));
    }

    [Fact]
    public void Promotion_waits_for_a_Prometheus_analysis_of_success_rate_and_latency()
    {
        var manifests = rendered["argo-rollouts"];
        var analysis = manifests.OfKind("Rollout").Single().Body.At("spec.strategy.blueGreen.prePromotionAnalysis");
        var template = manifests.Named("AnalysisTemplate", analysis.Objects("templates").Single().Text("templateName")!).Body;
        var queries = template.Objects("spec.metrics").ToDictionary(m => m.Text("name")!, m => m.Text("provider.prometheus.query")!);

        Assert.Contains("http_request_duration_seconds_count", queries["success-rate"], StringComparison.Ordinal);
        Assert.Contains("code!~\"5..\"", queries["success-rate"], StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket", queries["latency-p95"], StringComparison.Ordinal);
        Assert.All(queries.Values, q => Assert.Contains("rollouts_pod_template_hash=\"{{args.pod-template-hash}}\"", q, StringComparison.Ordinal));
        Assert.Equal("Latest", analysis.Objects("args").Single(a => a.Text("name") == "pod-template-hash").Text("valueFrom.podTemplateHashValue"));
        // The ServiceMonitor copies that pod label onto every series the queries read.
        Assert.Contains("rollouts-pod-template-hash", manifests.OfKind("ServiceMonitor").Single().Body.At("spec.podTargetLabels")!.AsArray().Select(l => l!.ToString()));
    }

    [Fact]
    public void Under_Istio_the_header_reaches_the_preview_Service()
    {
        var routes = rendered["argo-rollouts"].OfKind("VirtualService").Single().Body.Objects("spec.http").ToList();

        Assert.StartsWith("service-preview.", routes[0].Objects("route").Single().Text("destination.host"), StringComparison.Ordinal);
        Assert.Equal("preview", routes[0].Objects("match").First().At("headers")!["x-slot"]!["exact"]!.ToString());
        Assert.StartsWith("service.", routes[1].Objects("route").Single().Text("destination.host"), StringComparison.Ordinal);
    }
}
