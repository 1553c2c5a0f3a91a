using System.Text.Json.Nodes;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>Two slots, one switch: activeSlot decides where default traffic goes, with or without Istio.</summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class BlueGreenRoutingTests(RenderedSets rendered)
{
    //#if (istio)
    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void The_active_slot_receives_all_default_traffic(string set)
    {
        var route = DefaultRoute(rendered[set]);

        var destination = Assert.Single(route.Objects("route"));
        Assert.Equal(SetNames.ActiveSlot(set), destination.Text("destination.subset"));
        Assert.Equal("100", destination.Text("weight"));
    }

    [Theory]
    [MemberData(nameof(SetNames.IstioSlots), MemberType = typeof(SetNames))]
    public void The_idle_slot_is_reachable_only_with_the_slot_header_from_inside_the_mesh(string set)
    {
        var idle = SetNames.ActiveSlot(set) == "blue" ? "green" : "blue";
        var routes = VirtualService(rendered[set]).Objects("spec.http").ToList();
        var toIdle = routes.Where(r => r.Objects("route").Any(d => d.Text("destination.subset") == idle)).ToList();

        Assert.NotEmpty(toIdle);
        Assert.All(toIdle.SelectMany(r => r.Objects("match")), m =>
        {
            Assert.Equal(idle, m.At("headers")?["x-slot"]?["exact"]?.ToString());
            Assert.Equal(["mesh"], m.At("gateways")!.AsArray().Select(g => g!.ToString()));
        });
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public void A_public_gateway_request_with_the_slot_header_lands_on_the_active_slot(string method)
    {
        // Anyone on the internet can send the header: on the public gateway it must not open the unreleased slot.
        var vs = VirtualService(rendered["blue-active"]);
        var header = new Dictionary<string, string> { ["x-slot"] = "green" };

        var route = new MeshRequest("istio-system/public-gateway", method, "/api/orders", header).RouteIn(vs);

        Assert.Equal("blue", Assert.Single(route!.Objects("route")).Text("destination.subset"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public void A_mesh_request_with_the_slot_header_reaches_the_idle_slot(string method)
    {
        var vs = VirtualService(rendered["blue-active"]);
        var header = new Dictionary<string, string> { ["x-slot"] = "green" };

        var route = new MeshRequest("mesh", method, "/api/orders", header).RouteIn(vs);

        Assert.Equal("green", Assert.Single(route!.Objects("route")).Text("destination.subset"));
    }

    [Fact]
    public void Flipping_activeSlot_flips_default_and_header_routes()
    {
        var blue = VirtualService(rendered["blue-active"]);
        var green = VirtualService(rendered["green-active"]);

        Assert.Equal("blue", Assert.Single(DefaultRoute(rendered["blue-active"]).Objects("route")).Text("destination.subset"));
        Assert.Equal("green", Assert.Single(DefaultRoute(rendered["green-active"]).Objects("route")).Text("destination.subset"));
        Assert.Equal("green", blue.Objects("spec.http").First().Objects("route").Single().Text("destination.subset"));
        Assert.Equal("blue", green.Objects("spec.http").First().Objects("route").Single().Text("destination.subset"));
    }

    //#endif
    [Fact]
    public void Flipping_activeSlot_leaves_both_slot_Deployments_unchanged()
    {
        // Only routing changes across the switch, so no pod restarts.
        Assert.Equal(
            rendered["blue-active"].OfKind("Deployment").Select(d => d.Body.ToJsonString()),
            rendered["green-active"].OfKind("Deployment").Select(d => d.Body.ToJsonString()));
    }

    [Fact]
    public void Without_Istio_the_Service_selector_follows_activeSlot()
    {
        var green = rendered["istio-off"].Named("Service", "company-service1");
        var blue = Renderer.Render(ChartCase.Named("istio-off"), "--set", "activeSlot=blue").Named("Service", "company-service1");

        Assert.Equal("green", green.Body.Labels("spec.selector")["slot"]);
        Assert.Equal("blue", blue.Body.Labels("spec.selector")["slot"]);
        Assert.Equal("blue", rendered["istio-off"].Named("Service", "company-service1-preview").Body.Labels("spec.selector")["slot"]);
        Assert.DoesNotContain(rendered["istio-off"], m => m.ApiVersion.Contains("istio.io", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SetNames.Slots), MemberType = typeof(SetNames))]
    public void Traffic_that_bypasses_the_mesh_routing_reaches_only_the_active_slot(string set)
    {
        // An Ingress controller or a Gateway API implementation sends traffic to the Service's endpoints directly,
        // without the VirtualService: the Service itself must select only the active slot.
        var manifests = rendered[set];
        var service = manifests.Named("Service", "company-service1");

        Assert.Equal(SetNames.ActiveSlot(set), service.Body.Labels("spec.selector")["slot"]);
        Assert.All(manifests.OfKind("Ingress").SelectMany(i => i.Body.Objects("spec.rules")).SelectMany(r => r.Objects("http.paths")),
            p => Assert.Equal("company-service1", p.Text("backend.service.name")));
        Assert.All(manifests.OfKind("HTTPRoute").SelectMany(r => r.Body.Objects("spec.rules")).SelectMany(r => r.Objects("backendRefs")),
            b => Assert.Equal("company-service1", b.Text("name")));
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Each_slot_Deployment_is_labelled_with_its_slot_and_version(string set)
    {
        foreach (var deployment in rendered[set].OfKind("Deployment"))
        {
            var slot = deployment.Name[(deployment.Name.LastIndexOf('-') + 1)..];
            var pod = deployment.Body.Labels("spec.template.metadata.labels");
            var image = deployment.Body.At("spec.template.spec.containers")!.AsArray()[0].Text("image")!;
            Assert.Contains(slot, new[] { "blue", "green" });
            Assert.Equal(slot, pod["slot"]);
            Assert.Equal(slot, deployment.Body.At("spec.template.spec.containers")!.AsArray()[0]!["env"]!.AsArray()
                .Single(e => e.Text("name") == "Service__Slot").Text("value"));
            // A digest-pinned image names no tag; its version label is still the tag it was released as.
            Assert.EndsWith(image.Contains("@sha256:", StringComparison.Ordinal) ? "" : ":" + pod["version"], image, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_slot_runs_its_own_image_tag()
    {
        var images = rendered["blue-active"].OfKind("Deployment")
            .ToDictionary(d => d.Name, d => d.Body.At("spec.template.spec.containers")!.AsArray()[0].Text("image"));

        Assert.Equal("ghcr.io/example/company-service1:1.4.0", images["company-service1-blue"]);
        Assert.Equal("ghcr.io/example/company-service1:1.5.0", images["company-service1-green"]);
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Every_VirtualService_destination_exists(string set)
    {
        var manifests = rendered[set];
        var services = manifests.OfKind("Service").Select(s => $"{s.Name}.").ToList();
        foreach (var vs in manifests.OfKind("VirtualService"))
        {
            foreach (var destination in vs.Body.Objects("spec.http").SelectMany(r => r.Objects("route")).Select(r => r["destination"]))
            {
                var host = destination.Text("host")!;
                Assert.Contains(services, s => host.StartsWith(s, StringComparison.Ordinal));
                var subset = destination.Text("subset");
                if (subset is null)
                {
                    continue;
                }

                var rule = Assert.Single(manifests.OfKind("DestinationRule"), d => d.Body.Text("spec.host") == host);
                var definition = Assert.Single(rule.Body.Objects("spec.subsets"), s => s.Text("name") == subset);
                Assert.Contains(manifests.Servers(), p => definition.Labels("labels").Selects(p.Labels));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Public_routes_expose_only_the_API_and_version(string set)
    {
        var manifests = rendered[set];
        foreach (var vs in manifests.OfKind("VirtualService"))
        {
            foreach (var match in vs.Body.Objects("spec.http").SelectMany(r => r.Objects("match")))
            {
                var meshOnly = match.At("gateways") is JsonArray g && g.All(x => x!.ToString() == "mesh");
                if (!meshOnly)
                {
                    Assert.True(
                        match.Text("uri.prefix") == "/api/" || match.Text("uri.exact") == "/version",
                        $"{vs}: a public route matches {match.ToJsonString()}");
                }
            }
        }

        foreach (var ingress in manifests.OfKind("Ingress"))
        {
            Assert.Equal(["/api/", "/version"], ingress.Body.Objects("spec.rules").SelectMany(r => r.Objects("http.paths")).Select(p => p.Text("path")));
        }

        foreach (var route in manifests.OfKind("HTTPRoute"))
        {
            Assert.Equal(["/api/", "/version"], route.Body.Objects("spec.rules").SelectMany(r => r.Objects("matches")).Select(m => m.Text("path.value")));
        }
    }

    [Fact]
    public void The_production_case_routes_publicly_through_Ingress_and_Gateway_API()
    {
        Assert.Single(rendered["production"].OfKind("Ingress"));
        Assert.Single(rendered["production"].OfKind("HTTPRoute"));
        Assert.Equal(2, rendered["production"].OfKind("HorizontalPodAutoscaler").Count());
    }

    //#if (istio)
    private static JsonObject VirtualService(IEnumerable<Manifest> manifests) =>
        Assert.Single(manifests.OfKind("VirtualService")).Body;

    /// <summary>The route a public request for /api/ without any header takes: the first whose match it satisfies.</summary>
    private static JsonObject DefaultRoute(IEnumerable<Manifest> manifests) =>
        VirtualService(manifests).Objects("spec.http").First(r => r.Objects("match").Any(m =>
            m.At("headers") is null && m.At("gateways") is null && m.Text("uri.prefix") == "/api/"));
    //#endif
}
