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
        var policy = rendered[set].Named("AuthorizationPolicy", "company-service1").Body;
        Assert.Equal("ALLOW", policy.Text("spec.action"));

        var paths = policy.Objects("spec.rules").SelectMany(r => r.Objects("to")).SelectMany(t => t.At("operation.paths")!.AsArray())
            .Select(p => p!.ToString()).ToList();
        Assert.All(paths, p => Assert.Contains(p, new[] { "/api/*", "/version", "/readyz", "/livez", "/healthz", "/metrics" }));
        Assert.All(policy.Objects("spec.rules"), r => Assert.NotEmpty(r.Objects("to")));
    }

    [Fact]
    public void Only_the_gateways_the_in_mesh_controllers_and_listed_workloads_may_call_the_API()
    {
        var policy = rendered["production"].Named("AuthorizationPolicy", "company-service1").Body;
        var principals = policy.Objects("spec.rules").SelectMany(r => r.Objects("from"))
            .SelectMany(f => f.At("source.principals")?.AsArray() ?? []).Select(p => p!.ToString());

        Assert.Equal([
            "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
            "cluster.local/ns/ingress-nginx/sa/ingress-nginx",
            "cluster.local/ns/gateway-system/sa/public-gateway-istio",
            "cluster.local/ns/shop/sa/checkout"], principals);
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

    public static TheoryData<string, string, string> Requests()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in (IEnumerable<object[]>)SetNames.IstioSlots)
        {
            var set = (string)row[0];
            foreach (var gateway in new[] { "mesh", "istio-system/public-gateway" })
            {
                foreach (var slotHeader in new[] { "", "blue", "green" })
                {
                    data.Add(set, gateway, slotHeader);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_write_is_retried_only_when_it_cannot_have_reached_the_app(string set, string gateway, string slotHeader)
    {
        // "reset" and a per-try timeout may come after the app applied the request: never for POST, PUT, PATCH, DELETE.
        var vs = Assert.Single(rendered[set].OfKind("VirtualService")).Body;
        var headers = slotHeader.Length == 0 ? null : new Dictionary<string, string> { ["x-slot"] = slotHeader };
        if (vs.At("spec.gateways")!.AsArray().All(g => g!.ToString() != gateway))
        {
            return;
        }

        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
        {
            var route = new MeshRequest(gateway, method, "/api/orders", headers).RouteIn(vs)!;
            Assert.Equal(["connect-failure", "refused-stream"], route.Text("retries.retryOn")!.Split(',').Order(StringComparer.Ordinal));
            Assert.NotNull(route.Text("timeout"));
        }

        var read = new MeshRequest(gateway, "GET", "/api/orders", headers).RouteIn(vs)!;
        Assert.Contains("reset", read.Text("retries.retryOn")!.Split(','));
        Assert.DoesNotContain("5xx", read.Text("retries.retryOn")!.Split(','));
    }

    [Theory]
    [InlineData("connect-failure,reset")]
    [InlineData("5xx")]
    [InlineData("gateway-error,connect-failure")]
    public void Retry_conditions_that_could_apply_a_write_twice_are_refused(string retryOn)
    {
        var result = Renderer.TryRender(["--set-json", $"istio.retries.retryOn=\"{retryOn}\""]);

        Assert.False(result.Succeeded, "rendered with retryOn " + retryOn);
        Assert.Contains("retryOn", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void The_sidecar_outlives_the_apps_whole_termination_budget(string set)
    {
        foreach (var pod in rendered[set].Servers())
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(pod.Metadata.At("annotations")!["proxy.istio.io/config"]!.ToString())!;
            var grace = pod.Spec.Text("terminationGracePeriodSeconds");

            // Classic sidecars get SIGTERM with the app: drain, timeout and flush all need the proxy.
            Assert.Equal($"{grace}s", config.Text("terminationDrainDuration"));
            // It leaves early only once connections are gone, and never during the app's drain delay.
            Assert.Equal("true", config.Text("proxyMetadata.EXIT_ON_ZERO_ACTIVE_CONNECTIONS"));
            Assert.Equal("5s", config.Text("proxyMetadata.MINIMUM_DRAIN_DURATION"));
        }
    }

    [Fact]
    public void A_longer_grace_period_lengthens_the_sidecars_drain()
    {
        var pod = Renderer.Render(["--set", "terminationGracePeriodSeconds=90", "--set", "drain.timeoutSeconds=70"]).Servers().First();
        var config = System.Text.Json.Nodes.JsonNode.Parse(pod.Metadata.At("annotations")!["proxy.istio.io/config"]!.ToString())!;

        Assert.Equal("90s", config.Text("terminationDrainDuration"));
    }

    [Theory]
    [InlineData("ingress")]
    [InlineData("httpRoute")]
    public void An_Ingress_or_HTTPRoute_controller_outside_the_mesh_is_refused_with_one_clear_line(string kind)
    {
        // STRICT mTLS would refuse its plain text, and the AuthorizationPolicy its missing identity.
        var result = Renderer.TryRender(["--set", $"{kind}.enabled=true"]);

        Assert.False(result.Succeeded);
        Assert.Contains($"{kind}.enabled with Istio needs {kind}.controller.serviceAccount", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingress")]
    [InlineData("httpRoute")]
    public void Without_Istio_an_Ingress_or_HTTPRoute_needs_no_mesh_identity(string kind)
    {
        var result = Renderer.TryRender(Cluster.Plain, ["--set", $"{kind}.enabled=true"]);

        Assert.True(result.Succeeded, result.Describe());
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
