using Charts.Tests.Infrastructure;

namespace Charts.Tests;

[Collection(RenderedSetsGroup.Name)]
public sealed class IstioPolicyTests(RenderedSets rendered)
{
    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void Mutual_TLS_is_strict_except_on_the_metrics_port_Prometheus_scrapes(string set)
    {
        var policy = Assert.Single(rendered[set].OfKind("PeerAuthentication")).Body;

        Assert.Equal("STRICT", policy.Text("spec.mtls.mode"));
        var ports = policy.At("spec.portLevelMtls")!.AsObject();
        Assert.Equal("9464", Assert.Single(ports).Key);
        Assert.Equal("PERMISSIVE", ports["9464"].Text("mode"));
        Assert.Contains(rendered[set].Servers(), p => policy.Labels("spec.selector.matchLabels").Selects(p.Labels));
    }

    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void Authorization_admits_no_drill_endpoint(string set)
    {
        var policy = Assert.Single(rendered[set].OfKind("AuthorizationPolicy")).Body;
        Assert.Equal("ALLOW", policy.Text("spec.action"));

        var paths = policy.Objects("spec.rules").SelectMany(r => r.Objects("to")).SelectMany(t => t.At("operation.paths")!.AsArray())
            .Select(p => p!.ToString()).ToList();
        Assert.All(paths, p => Assert.Contains(p, new[] { "/api/*", "/version", "/readyz", "/livez", "/healthz", "/metrics" }));
        Assert.All(policy.Objects("spec.rules"), r => Assert.NotEmpty(r.Objects("to")));
    }

    [Fact]
    public void Only_the_gateway_and_listed_workloads_may_call_the_API()
    {
        var policy = rendered["production"].OfKind("AuthorizationPolicy").Single().Body;
        var principals = policy.Objects("spec.rules").SelectMany(r => r.Objects("from"))
            .SelectMany(f => f.At("source.principals")?.AsArray() ?? []).Select(p => p!.ToString());

        Assert.Equal(["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account", "cluster.local/ns/shop/sa/checkout"], principals);
    }

    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void Failing_pods_are_ejected_after_five_consecutive_5xx_and_connections_are_bounded(string set)
    {
        var rule = Assert.Single(rendered[set].OfKind("DestinationRule")).Body;

        Assert.Equal("5", rule.Text("spec.trafficPolicy.outlierDetection.consecutive5xxErrors"));
        Assert.NotNull(rule.At("spec.trafficPolicy.connectionPool.tcp.maxConnections"));
        Assert.NotNull(rule.At("spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests"));
        Assert.Equal(["blue", "green"], rule.Objects("spec.subsets").Select(s => s.Text("name")));
    }

    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void Routes_retry_only_requests_that_never_reached_the_app_and_time_out(string set)
    {
        foreach (var route in Assert.Single(rendered[set].OfKind("VirtualService")).Body.Objects("spec.http"))
        {
            Assert.NotNull(route.Text("timeout"));
            Assert.DoesNotContain("5xx", route.Text("retries.retryOn") ?? "", StringComparison.Ordinal);
            Assert.True(int.Parse(route.Text("retries.attempts")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void The_sidecar_rate_limit_matches_the_apps_own_limit(string set)
    {
        // The live slot's limit: the sidecar limit follows the shared config.rateLimitPermitsPerSecond.
        var config = rendered[set].OfKind("ConfigMap").Single(c => c.Name.StartsWith($"company-service1-{SetNames.ActiveSlot(set)}-config-", StringComparison.Ordinal));
        var appLimit = config.Body.At("data")!["RateLimit__PermitsPerSecond"]!.ToString();
        var filter = Assert.Single(rendered[set].OfKind("EnvoyFilter")).Body;
        var bucket = filter.Objects("spec.configPatches").Single().At("patch.value.typed_config.value.token_bucket");

        // The app's bucket: burst of one second's permits, a tenth refilled every 100 ms.
        var permits = int.Parse(appLimit, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(appLimit, bucket.Text("max_tokens"));
        Assert.Equal(Math.Max(1, permits / 10).ToString(System.Globalization.CultureInfo.InvariantCulture), bucket.Text("tokens_per_fill"));
        Assert.Equal("0.1s", bucket.Text("fill_interval"));
        Assert.Equal("8080", filter.Objects("spec.configPatches").Single().Text("match.listener.portNumber"));
    }

    [Fact]
    public void Turning_the_apps_rate_limit_off_turns_the_sidecar_limit_off()
    {
        var manifests = Renderer.Render(["--set", "config.rateLimitPermitsPerSecond=0"]);

        Assert.Empty(manifests.OfKind("EnvoyFilter"));
    }

    [Fact]
    public void Helper_pods_are_kept_out_of_the_mesh_only_where_a_sidecar_would_hang_them()
    {
        //#if (postgres)
        var job = rendered["blue-active"].Pods().Single(p => p.Owner.Kind == "Job");
        //#endif
        var test = rendered["blue-active"].Pods().Single(p => p.Owner.Kind == "Pod");

        //#if (postgres)
        Assert.Equal("false", job.Labels["sidecar.istio.io/inject"]);
        //#endif
        Assert.Equal("true", test.Labels["sidecar.istio.io/inject"]);
        Assert.Equal("true", test.Metadata.At("annotations")!["sidecar.istio.io/nativeSidecar"]!.ToString());
    }
}
