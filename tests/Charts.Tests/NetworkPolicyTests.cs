using Charts.Tests.Infrastructure;

namespace Charts.Tests;

[Collection(RenderedSetsGroup.Name)]
public sealed class NetworkPolicyTests(RenderedSets rendered)
{
    private const string EnvoyMetricsPorts = "15090,15020";

    public static TheoryData<string> WithPolicies =>
        [.. ChartCase.All.Where(c => c.Name != "networkpolicy-off").Select(c => c.Name), RenderedSets.PlainManifests];

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void Every_pod_of_the_release_starts_from_deny_all(string set)
    {
        var denyAll = Assert.Single(rendered[set].OfKind("NetworkPolicy"), p => p.Body.At("spec.ingress") is null && p.Body.At("spec.egress") is null).Body;

        Assert.Equal(["Ingress", "Egress"], denyAll.At("spec.policyTypes")!.AsArray().Select(t => t!.ToString()));
        Assert.All(rendered[set].Pods(), p => Assert.True(denyAll.Labels("spec.podSelector.matchLabels").Selects(p.Labels), $"{p} escapes deny-all"));
    }

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void Every_policy_selects_pods_that_exist(string set)
    {
        foreach (var policy in rendered[set].OfKind("NetworkPolicy"))
        {
            Assert.Contains(rendered[set].Pods(), p => policy.Body.Labels("spec.podSelector.matchLabels").Selects(p.Labels));
        }
    }

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void Only_the_gateway_the_test_pod_and_Prometheus_get_in_each_on_its_own_port(string set)
    {
        var ingress = Assert.Single(rendered[set].OfKind("NetworkPolicy"), p => p.Body.At("spec.ingress") is not null).Body;
        var rules = ingress.Objects("spec.ingress").ToList();
        var byPort = rules.ToDictionary(Ports, r => r);

        string[] expected = ["8080", "9464", .. Istio(set) ? new[] { EnvoyMetricsPorts } : []];
        Assert.Equal(expected, byPort.Keys);
        var http = byPort["8080"].Objects("from").ToList();
        Assert.Contains(http, f => f.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "istio-system"
            && f.Labels("podSelector.matchLabels").GetValueOrDefault("istio") == "ingressgateway");
        Assert.Contains(http, f => f.Labels("podSelector.matchLabels").GetValueOrDefault("app.kubernetes.io/component") == "test");
        var metrics = Assert.Single(byPort["9464"].Objects("from"));
        Assert.NotEmpty(metrics.Labels("namespaceSelector.matchLabels"));
        Assert.All(rules.SelectMany(r => r.Objects("from")), f => Assert.Null(f.At("ipBlock")));
    }

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void Egress_reaches_only_DNS_the_database_the_collector_the_identity_provider_istiod_and_the_service_itself(string set)
    {
        var egress = Assert.Single(rendered[set].OfKind("NetworkPolicy"), p => p.Body.At("spec.egress") is not null).Body;
        var ports = egress.Objects("spec.egress").Select(r => string.Join(',', r.Objects("ports").Select(p => $"{p.Text("protocol")}/{p.Text("port")}"))).ToList();
        var istio = Istio(set);
        var authority = rendered[set].Servers().Any(p => p.Spec.Objects("containers").Single().Objects("env").Any(e => e.Text("name") == "Authentication__Authority"));

        string[] expected =
        [
            "UDP/53,TCP/53,UDP/5353,TCP/5353",
//#if (postgres)
            "TCP/5432",
//#endif
            "TCP/4317,TCP/4318",
            // The identity provider's metadata and keys, with authentication.authority (the production case).
            .. authority ? new[] { "TCP/443" } : [],
            .. istio ? new[] { "TCP/15012" } : [],
            "TCP/8080",
        ];
        Assert.Equal(expected, ports);
    }

    //#if (postgres)
    [Fact]
    public void A_managed_database_is_reached_by_CIDR()
    {
        var egress = rendered["production"].OfKind("NetworkPolicy").Single(p => p.Body.At("spec.egress") is not null).Body;

        Assert.Contains(egress.Objects("spec.egress"), r => r.Objects("to").Any(t => t.Text("ipBlock.cidr") == "10.20.0.0/16"));
    }

    //#endif

    [Fact]
    public void Further_callers_can_be_let_in_to_the_HTTP_port_only()
    {
        var ingress = rendered["production"].OfKind("NetworkPolicy").Single(p => p.Body.At("spec.ingress") is not null).Body;
        var http = ingress.Objects("spec.ingress").Single(r => Ports(r) == "8080");

        Assert.Contains(http.Objects("from"), f => f.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "shop");
    }

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void Every_egress_rule_names_its_peers(string set)
    {
        // A rule without `to` opens its ports to the whole network.
        var egress = rendered[set].OfKind("NetworkPolicy").Single(p => p.Body.At("spec.egress") is not null).Body;

        Assert.All(egress.Objects("spec.egress"), rule =>
        {
            Assert.NotEmpty(rule.Objects("to"));
            Assert.All(rule.Objects("to"), peer => Assert.True(
                peer.Text("ipBlock.cidr") is not null || peer.Labels("podSelector.matchLabels").Count > 0,
                $"{set}: egress peer {peer.ToJsonString()} selects everything"));
        });
    }

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void DNS_goes_to_the_cluster_DNS_pods_and_NodeLocal_DNSCache_on_53_and_5353(string set)
    {
        var egress = rendered[set].OfKind("NetworkPolicy").Single(p => p.Body.At("spec.egress") is not null).Body;
        var dns = egress.Objects("spec.egress").First();
        var peers = dns.Objects("to").ToList();

        Assert.Contains(peers, p => p.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "kube-system"
            && p.Labels("podSelector.matchLabels").GetValueOrDefault("k8s-app") == "kube-dns");
        // NodeLocal DNSCache answers on a link-local address from the host network: no pod selector matches it.
        Assert.Contains(peers, p => p.Text("ipBlock.cidr") == "169.254.20.10/32");
        // OpenShift's DNS pods listen on 5353 behind the Service's port 53.
        Assert.Equal(["UDP/53", "TCP/53", "UDP/5353", "TCP/5353"], dns.Objects("ports").Select(p => $"{p.Text("protocol")}/{p.Text("port")}"));
    }

    [Fact]
    public void The_DNS_peers_can_be_replaced_for_OpenShift()
    {
        var openshift = """[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"openshift-dns"}},"podSelector":{"matchLabels":{"dns.operator.openshift.io/daemonset-dns":"default"}}}]""";
        var egress = Renderer.Render(["--set-json", $"networkPolicy.egress.dns.to={openshift}"])
            .OfKind("NetworkPolicy").Single(p => p.Body.At("spec.egress") is not null).Body;

        var peer = Assert.Single(egress.Objects("spec.egress").First().Objects("to"));
        Assert.Equal("openshift-dns", peer.Labels("namespaceSelector.matchLabels")["kubernetes.io/metadata.name"]);
    }

    [Fact]
    public void Extra_rules_are_appended_to_the_allow_policies()
    {
        var manifests = Renderer.Render([
            "--set-json", """networkPolicy.extraEgress=[{"to":[{"ipBlock":{"cidr":"10.30.0.0/16"}}],"ports":[{"port":443,"protocol":"TCP"}]}]""",
            "--set-json", """networkPolicy.extraIngress=[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"batch"}}}],"ports":[{"port":8080,"protocol":"TCP"}]}]"""]);
        var policies = manifests.OfKind("NetworkPolicy").ToList();

        var egress = policies.Single(p => p.Body.At("spec.egress") is not null).Body.Objects("spec.egress").Last();
        var ingress = policies.Single(p => p.Body.At("spec.ingress") is not null).Body.Objects("spec.ingress").Last();
        Assert.Equal("10.30.0.0/16", egress.Objects("to").Single().Text("ipBlock.cidr"));
        Assert.Equal("batch", ingress.Objects("from").Single().Labels("namespaceSelector.matchLabels")["kubernetes.io/metadata.name"]);
    }

    [Theory]
    [InlineData("networkPolicy.extraEgress", """[{"ports":[{"port":443,"protocol":"TCP"}]}]""")]
    [InlineData("networkPolicy.extraEgress", """[{"to":[],"ports":[{"port":443,"protocol":"TCP"}]}]""")]
    [InlineData("networkPolicy.extraIngress", """[{"ports":[{"port":8080,"protocol":"TCP"}]}]""")]
    public void An_extra_rule_without_peers_is_refused(string key, string rules)
    {
        var result = Renderer.TryRender(["--set-json", $"{key}={rules}"]);

        Assert.False(result.Succeeded, $"rendered {key}={rules}");
    }

    [Fact]
    public void The_Ingress_and_Gateway_API_controllers_get_in_to_the_HTTP_port_only()
    {
        var ingress = rendered["production"].OfKind("NetworkPolicy").Single(p => p.Body.At("spec.ingress") is not null).Body;
        var http = ingress.Objects("spec.ingress").Single(r => Ports(r) == "8080").Objects("from").ToList();
        var metrics = ingress.Objects("spec.ingress").Single(r => Ports(r) == "9464").Objects("from").ToList();

        Assert.Contains(http, f => f.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "ingress-nginx"
            && f.Labels("podSelector.matchLabels").GetValueOrDefault("app.kubernetes.io/name") == "ingress-nginx");
        Assert.Contains(http, f => f.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "gateway-system"
            && f.Labels("podSelector.matchLabels").GetValueOrDefault("gateway.networking.k8s.io/gateway-name") == "public-gateway");
        Assert.DoesNotContain(metrics, f => f.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") is "ingress-nginx" or "gateway-system");
    }

    [Fact]
    public void Without_an_Ingress_its_controller_is_not_let_in()
    {
        var ingress = rendered["defaults"].OfKind("NetworkPolicy").Single(p => p.Body.At("spec.ingress") is not null).Body;

        Assert.DoesNotContain(ingress.Objects("spec.ingress").SelectMany(r => r.Objects("from")),
            f => f.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") is "ingress-nginx" or "gateway-system");
    }

    [Theory]
    [MemberData(nameof(WithPolicies))]
    public void With_Istio_Prometheus_reaches_the_sidecars_Envoy_metrics_and_nothing_else_on_those_ports(string set)
    {
        // The SLO gate reads Istio's request metrics; a policy that drops the scrape leaves it blind.
        var ingress = Assert.Single(rendered[set].OfKind("NetworkPolicy"), p => p.Body.At("spec.ingress") is not null).Body;
        var envoy = ingress.Objects("spec.ingress")
            .Where(r => r.Objects("ports").Any(p => p.Text("port") is "15090" or "15020"))
            .ToList();

        if (!Istio(set))
        {
            Assert.Empty(envoy);
            return;
        }

        var rule = Assert.Single(envoy);
        Assert.Equal(EnvoyMetricsPorts, Ports(rule));
        var metrics = ingress.Objects("spec.ingress").Single(r => Ports(r) == "9464");
        Assert.Equal(metrics["from"]!.ToJsonString(), rule["from"]!.ToJsonString());
    }

    [Fact]
    public void Policies_can_be_turned_off()
    {
        Assert.Empty(rendered["networkpolicy-off"].OfKind("NetworkPolicy"));
    }

    private static string Ports(System.Text.Json.Nodes.JsonObject rule) => string.Join(',', rule.Objects("ports").Select(p => p.Text("port")));

    private static bool Istio(string set) => ChartCase.All.FirstOrDefault(c => c.Name == set)?.Istio ?? ChartCase.Mesh;
}
