using System.Net;
using System.Net.Http.Json;

namespace Company.Service1.Tests.Platform.Drills;

public sealed class DrillEndpointsTests : IAsyncLifetime
{
    private ServiceFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = new ServiceFactory(new Dictionary<string, string?> { ["Drills:Enabled"] = "true", ["Drills:MaxDelayMilliseconds"] = "1000" });
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData(200)]
    [InlineData(418)]
    [InlineData(503)]
    public async Task Status_answers_the_code_asked_for(int code) =>
        Assert.Equal(code, (int)(await _client.GetAsync($"/status/{code}")).StatusCode);

    [Fact]
    public async Task Status_outside_the_http_range_is_400() =>
        await ProblemAssertions.AssertProblemAsync(await _client.GetAsync("/status/99"), HttpStatusCode.BadRequest, field: "code");

    [Fact]
    public async Task Delay_waits_and_refuses_more_than_the_maximum()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/delay/20")).StatusCode);
        await ProblemAssertions.AssertProblemAsync(await _client.GetAsync("/delay/5000"), HttpStatusCode.BadRequest, field: "ms");
    }

    [Fact]
    public async Task Readiness_can_be_switched_off_and_on_while_liveness_stays_200()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync("/readyz/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/livez")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync("/readyz/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task A_fault_rate_of_one_fails_every_request_under_api_with_500_and_zero_heals_it()
    {
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/faults?rate=1", null)).StatusCode);
            for (var i = 0; i < 5; i++)
            {
                await ProblemAssertions.AssertProblemAsync(await _client.GetAsync("/api/anything"), HttpStatusCode.InternalServerError, "injected-fault");
            }

            Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/version")).StatusCode);
        }
        finally
        {
            await _client.PostAsync("/faults?rate=0", null);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/anything")).StatusCode);
    }

    [Fact]
    public async Task A_fault_rate_outside_zero_to_one_is_400() =>
        await ProblemAssertions.AssertProblemAsync(await _client.PostAsync("/faults?rate=2", null), HttpStatusCode.BadRequest, field: "rate");

    [Fact]
    public async Task A_configured_fault_rate_applies_from_the_start()
    {
        await using var sick = new ServiceFactory(new Dictionary<string, string?> { ["Drills:Enabled"] = "true", ["Drills:FaultRate"] = "1" });
        var client = sick.CreateClient();
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/api/anything")).StatusCode);
    }

    [Fact]
    public async Task Faults_apply_only_under_the_configured_path_prefix()
    {
        await using var sick = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Drills:Enabled"] = "true",
            ["Drills:FaultRate"] = "1",
            ["Drills:FaultPathPrefix"] = "/orders",
        });
        var client = sick.CreateClient();

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/orders/7")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/anything")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/version")).StatusCode);
    }
}
