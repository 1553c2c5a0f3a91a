using Charts.Tests.Infrastructure;

namespace Charts.Tests;

[Collection(RenderedSetsGroup.Name)]
public sealed class ArgoRolloutsTests(RenderedSets rendered) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analysis-").FullName;

    [Fact]
    public void The_argo_engine_replaces_the_slot_Deployments_with_a_blue_green_Rollout()
    {
        var manifests = rendered["argo-rollouts"];
        var strategy = manifests.OfKind("Rollout").Single().Body.At("spec.strategy.blueGreen");

        Assert.Empty(manifests.OfKind("Deployment"));
        Assert.Equal("company-service1", strategy.Text("activeService"));
        Assert.Equal("company-service1-preview", strategy.Text("previewService"));
        Assert.Contains(manifests, m => m.Id == "Service/company-service1");
        Assert.Contains(manifests, m => m.Id == "Service/company-service1-preview");
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

    /// <summary>prometheus-operator sets <c>endpoint</c> to the scraped port's name, so a matcher on it filters nothing.</summary>
    [Fact]
    public void The_analysis_queries_never_match_on_the_operators_endpoint_label()
    {
        var queries = rendered["argo-rollouts"].OfKind("AnalysisTemplate").Single().Body.Objects("spec.metrics")
            .Select(m => m.Text("provider.prometheus.query")!).ToList();

        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.DoesNotMatch("\\bendpoint\\s*(=|!=|=~|!~)", q));
    }

    //#if (istio)
    [Fact]
    public void Under_Istio_the_header_reaches_the_preview_Service()
    {
        var vs = rendered["argo-rollouts"].OfKind("VirtualService").Single().Body;
        var header = new Dictionary<string, string> { ["x-slot"] = "preview" };

        foreach (var method in new[] { "GET", "POST" })
        {
            Assert.StartsWith("company-service1-preview.", Host(new MeshRequest("mesh", method, "/api/orders", header).RouteIn(vs)), StringComparison.Ordinal);
            Assert.StartsWith("company-service1.", Host(new MeshRequest("mesh", method, "/api/orders").RouteIn(vs)), StringComparison.Ordinal);
        }
    }

    private static string? Host(System.Text.Json.Nodes.JsonObject? route) => route?.Objects("route").Single().Text("destination.host");

    //#endif

    /// <summary>
    /// The analysis queries, evaluated by Prometheus' own engine (`promtool test rules`) over series shaped like
    /// prometheus-net's: the preview ReplicaSet ("new") serves 99 good and 1 failed request per minute, 90% within
    /// 0.25 s and all within 0.5 s; the old ReplicaSet fails everything and must not count.
    /// </summary>
    [Fact]
    public void The_analysis_queries_measure_only_the_preview_pods_success_rate_and_p95_latency()
    {
        var setup = Command.Run(Repository.Script("scripts/setup/prometheus.sh"), [], TimeSpan.FromMinutes(5));
        Assert.True(setup.Succeeded, setup.Describe());
        var queries = rendered["argo-rollouts"].OfKind("AnalysisTemplate").Single().Body.Objects("spec.metrics")
            .ToDictionary(m => m.Text("name")!, m => m.Text("provider.prometheus.query")!);
        string Bind(string query, string hash) => query
            .Replace("{{args.namespace}}", "apps", StringComparison.Ordinal)
            .Replace("{{args.pod-template-hash}}", hash, StringComparison.Ordinal);
        // round(): rates of synthetic counters carry float noise in the last digits.
        string Rule(string record, string query) =>
            $"      - record: {record}\n        expr: |\n          round(\n          {query.Trim().Replace("\n", "\n          ", StringComparison.Ordinal)}\n          , 0.001)\n";

        File.WriteAllText(Path.Combine(_directory, "analysis.yaml"), "groups:\n  - name: analysis\n    rules:\n"
            + Rule("analysis:success_rate", Bind(queries["success-rate"], "new"))
            + Rule("analysis:latency_p95", Bind(queries["latency-p95"], "new"))
            + Rule("analysis:success_rate_without_traffic", Bind(queries["success-rate"], "unused")));
        // Labelled as prometheus-operator stores them: its target labels (endpoint is the port's name) beside the service's own.
        const string series = "{namespace=\"apps\",job=\"company-service1-metrics\",endpoint=\"http-metrics\",method=\"GET\",route=\"/api/v1/todos\"";
        File.WriteAllText(Path.Combine(_directory, "analysis-test.yaml"), $$"""
            rule_files: [analysis.yaml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'http_request_duration_seconds_count{{series}},rollouts_pod_template_hash="new",code="200"}'
                    values: '0+99x20'
                  - series: 'http_request_duration_seconds_count{{series}},rollouts_pod_template_hash="new",code="500"}'
                    values: '0+1x20'
                  - series: 'http_request_duration_seconds_count{{series}},rollouts_pod_template_hash="old",code="500"}'
                    values: '0+1000x20'
                  - series: 'http_request_duration_seconds_bucket{{series}},rollouts_pod_template_hash="new",code="200",le="0.25"}'
                    values: '0+90x20'
                  - series: 'http_request_duration_seconds_bucket{{series}},rollouts_pod_template_hash="new",code="200",le="0.5"}'
                    values: '0+100x20'
                  - series: 'http_request_duration_seconds_bucket{{series}},rollouts_pod_template_hash="new",code="200",le="+Inf"}'
                    values: '0+100x20'
                  - series: 'http_request_duration_seconds_bucket{{series}},rollouts_pod_template_hash="old",code="500",le="+Inf"}'
                    values: '0+1000x20'
                promql_expr_test:
                  - expr: analysis:success_rate
                    eval_time: 10m
                    exp_samples: [{labels: 'analysis:success_rate', value: 0.99}]
                  - expr: analysis:latency_p95
                    eval_time: 10m
                    exp_samples: [{labels: 'analysis:latency_p95', value: 0.375}]
                  - expr: analysis:success_rate_without_traffic
                    eval_time: 10m
                    exp_samples: [{labels: 'analysis:success_rate_without_traffic', value: 1}]
            """);

        var result = Command.Run("promtool", ["test", "rules", "analysis-test.yaml"], TimeSpan.FromMinutes(1), _directory);

        Assert.True(result.Succeeded, result.Describe());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
