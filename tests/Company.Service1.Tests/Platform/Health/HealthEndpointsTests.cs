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
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var checks = report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["drain", "startup"], checks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Readiness_is_503_and_liveness_200_while_draining()
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        factory.Services.GetRequiredService<DrainState>().BeginDrain();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/livez")).StatusCode);
    }
}
