//#if (istio)
using System.Text.Json.Nodes;
//#endif
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// statusPage.public decides whether the page at / reaches the public routes: off by default (it tells an attacker
/// what runs where), on for a host where people watch a switch.
/// </summary>
public sealed class StatusPageRouteTests
{
    private static readonly Lazy<IReadOnlyList<Manifest>> Private = new(() => Renderer.Render(ChartCase.Named("production")));
    private static readonly Lazy<IReadOnlyList<Manifest>> Public = new(() => Renderer.Render(ChartCase.Named("production"), "--set", "statusPage.public=true"));

    private static readonly string[] PagePaths = ["/", "/status-page/"];

    [Fact]
    public void By_default_neither_the_Ingress_nor_the_HTTPRoute_routes_the_page()
    {
        Assert.Empty(IngressPaths(Private.Value).Intersect(PagePaths));
        Assert.Empty(HttpRoutePaths(Private.Value).Intersect(PagePaths));
    }

    [Fact]
    public void With_statusPage_public_the_Ingress_and_the_HTTPRoute_route_the_page_and_its_files_to_the_active_slot()
    {
        var ingress = Assert.Single(Public.Value.OfKind("Ingress")).Body.Objects("spec.rules").SelectMany(r => r.Objects("http.paths")).ToList();
        Assert.Equal("Exact", Assert.Single(ingress, p => p.Text("path") == "/").Text("pathType"));
        Assert.Equal("Prefix", Assert.Single(ingress, p => p.Text("path") == "/status-page/").Text("pathType"));
        Assert.All(ingress, p => Assert.Equal("company-service1", p.Text("backend.service.name")));

        var matches = Assert.Single(Public.Value.OfKind("HTTPRoute")).Body.Objects("spec.rules").SelectMany(r => r.Objects("matches")).ToList();
        Assert.Equal("Exact", Assert.Single(matches, m => m.Text("path.value") == "/").Text("path.type"));
        Assert.Equal("PathPrefix", Assert.Single(matches, m => m.Text("path.value") == "/status-page/").Text("path.type"));
        Assert.Equal(["/api/", "/version", "/", "/status-page/"], matches.Select(m => m.Text("path.value")));
    }

    //#if (istio)
    [Theory]
    [InlineData("/")]
    [InlineData("/status-page/state")]
    public void By_default_the_public_gateway_neither_routes_nor_admits_the_page(string path)
    {
        var route = new MeshRequest("istio-system/public-gateway", "GET", path).RouteIn(VirtualService(Private.Value));

        Assert.Null(route);
        Assert.DoesNotContain(path == "/" ? "/" : "/status-page/*", GatewayPaths(Private.Value));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/status-page/state")]
    public void With_statusPage_public_the_public_gateway_routes_the_page_to_the_active_slot_and_admits_it(string path)
    {
        var route = new MeshRequest("istio-system/public-gateway", "GET", path).RouteIn(VirtualService(Public.Value));

        Assert.Equal("blue", Assert.Single(route!.Objects("route")).Text("destination.subset"));
        Assert.Contains(path == "/" ? "/" : "/status-page/*", GatewayPaths(Public.Value));
    }

    [Fact]
    public void With_statusPage_public_and_token_checks_in_the_mesh_the_page_needs_no_token()
    {
        var deny = Public.Value.Named("AuthorizationPolicy", "company-service1-require-jwt").Body;
        var open = deny.Objects("spec.rules").SelectMany(r => r.Objects("to")).SelectMany(t => t.At("operation.notPaths")!.AsArray()).Select(p => p!.ToString());

        Assert.Contains("/", open);
        Assert.Contains("/status-page/*", open);
    }

    private static JsonObject VirtualService(IEnumerable<Manifest> manifests) => Assert.Single(manifests.OfKind("VirtualService")).Body;

    /// <summary>The paths the ALLOW policy admits from the public gateway's identity.</summary>
    private static IEnumerable<string> GatewayPaths(IEnumerable<Manifest> manifests) =>
        manifests.Named("AuthorizationPolicy", "company-service1").Body.Objects("spec.rules")
            .Where(r => r.Objects("from").Any(f => f.At("source.principals") is JsonArray principals
                && principals.Any(p => p!.ToString().EndsWith("/sa/istio-ingressgateway-service-account", StringComparison.Ordinal))))
            .SelectMany(r => r.Objects("to")).SelectMany(t => t.At("operation.paths")!.AsArray()).Select(p => p!.ToString());
    //#endif

    private static IEnumerable<string?> IngressPaths(IEnumerable<Manifest> manifests) =>
        Assert.Single(manifests.OfKind("Ingress")).Body.Objects("spec.rules").SelectMany(r => r.Objects("http.paths")).Select(p => p.Text("path"));

    private static IEnumerable<string?> HttpRoutePaths(IEnumerable<Manifest> manifests) =>
        Assert.Single(manifests.OfKind("HTTPRoute")).Body.Objects("spec.rules").SelectMany(r => r.Objects("matches")).Select(m => m.Text("path.value"));
}
