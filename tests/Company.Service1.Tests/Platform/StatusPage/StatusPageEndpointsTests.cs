using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Service1.Tests.Platform.StatusPage;

public sealed partial class StatusPageEndpointsTests
{
    [Fact]
    public async Task The_page_allows_only_its_own_files_and_has_no_inline_script_or_style()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        foreach (Match asset in Asset().Matches(html))
        {
            using var file = await client.GetAsync(asset.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
    }

    [Fact]
    public async Task The_state_names_the_build_the_slot_and_each_readiness_check()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Service:Slot"] = "green", ["K8S_POD_NAME"] = "company-service1-green-7d9f-x2k4q" });
        var client = factory.CreateClient();
        var version = await client.GetFromJsonAsync<JsonElement>("/version");

        var state = await client.GetFromJsonAsync<JsonElement>("/status-page/state");

        Assert.Equal("green", state.GetProperty("slot").GetString());
        Assert.Equal(version.GetProperty("version").GetString(), state.GetProperty("version").GetString());
        Assert.Equal(version.GetProperty("commit").GetString(), state.GetProperty("commit").GetString());
        Assert.Equal("company-service1-green-7d9f-x2k4q", state.GetProperty("instance").GetString());
        Assert.Equal("ready", state.GetProperty("readiness").GetString());
        var checks = state.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("state").GetString());
        Assert.Equal("ready", checks["startup"]);
        Assert.Equal("ready", checks["drain"]);
        Assert.Equal("/openapi/v1.json", state.GetProperty("openApiDocument").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("apiReference").ValueKind);
        Assert.Equal(JsonValueKind.Null, state.GetProperty("dashboard").ValueKind);
    }

    [Fact]
    public async Task With_a_dashboard_configured_the_state_links_to_it()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["StatusPage:DashboardUrl"] = "http://localhost:18888/traces" });

        var state = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/status-page/state");

        Assert.Equal("http://localhost:18888/traces", state.GetProperty("dashboard").GetString());
    }

    [Fact]
    public async Task While_draining_the_state_says_draining_and_names_the_drain_check()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        factory.Services.GetRequiredService<DrainState>().BeginDrain();

        var state = await client.GetFromJsonAsync<JsonElement>("/status-page/state");

        Assert.Equal("draining", state.GetProperty("readiness").GetString());
        var checks = state.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("state").GetString());
        Assert.Equal("draining", checks["drain"]);
        Assert.Equal("ready", checks["startup"]);
    }

    [Fact]
    public async Task A_failing_check_is_not_ready_and_its_reason_stays_off_the_page()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Drills:Enabled"] = "true" });
        var client = factory.CreateClient();
        using (await client.PostAsync("/readyz/disable", null))
        {
        }

        var body = await client.GetStringAsync("/status-page/state");

        var state = JsonDocument.Parse(body).RootElement;
        Assert.Equal("not ready", state.GetProperty("readiness").GetString());
        Assert.Contains(state.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "drill" && c.GetProperty("state").GetString() == "not ready");
        Assert.DoesNotContain("reason", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A script element without a src attribute: inline code.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("(?:src|href)=\"(/status-page/[^\"]+)\"")]
    private static partial Regex Asset();
}
