using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Service1.Tests.Platform.Health;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Without_a_database_ready_and_the_report_lists_only_the_platform_checks()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/livez")).StatusCode);
        await AssertReadinessAsync(client, HttpStatusCode.OK, "Healthy");
        Assert.Equal(["drain: Healthy (serving)", "startup: Healthy (started)"], await ReportAsync(client));
    }

    [Fact]
    public async Task Readiness_is_503_and_liveness_200_while_draining()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await AssertReadinessAsync(client, HttpStatusCode.OK, "Healthy");

        factory.Services.GetRequiredService<DrainState>().BeginDrain();

        await AssertReadinessAsync(client, HttpStatusCode.ServiceUnavailable, "Unhealthy");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/livez")).StatusCode);
        Assert.Equal(["drain: Unhealthy (draining: shutdown in progress)", "startup: Healthy (started)"], await ReportAsync(client));
    }

    [Fact]
    public async Task With_drills_on_the_report_adds_the_drill_check_which_a_drill_turns_unhealthy()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Drills:Enabled"] = "true" });
        var client = factory.CreateClient();
        Assert.Equal(["drain: Healthy (serving)", "drill: Healthy (no drill active)", "startup: Healthy (started)"], await ReportAsync(client));

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/readyz/disable", null)).StatusCode);

        await AssertReadinessAsync(client, HttpStatusCode.ServiceUnavailable, "Unhealthy");
        Assert.Equal(["drain: Healthy (serving)", "drill: Unhealthy (readiness disabled by drill)", "startup: Healthy (started)"], await ReportAsync(client));
    }

    private static async Task AssertReadinessAsync(HttpClient client, HttpStatusCode status, string body)
    {
        using var response = await client.GetAsync("/readyz");
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Each check of <c>/healthz</c> as "name: status (reason)", sorted by name.</summary>
    private static async Task<string[]> ReportAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/healthz");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. report.GetProperty("checks").EnumerateArray()
            .Select(c => $"{c.GetProperty("name").GetString()}: {c.GetProperty("status").GetString()} ({c.GetProperty("reason").GetString()})")
            .Order(StringComparer.Ordinal)];
    }
}
