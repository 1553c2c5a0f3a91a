using System.Net;

namespace Company.Service1.Tests.Platform.RateLimiting;

public sealed class ApiRateLimitTests
{
    [Fact]
    public async Task Past_the_limit_requests_get_429_with_retry_after_while_probes_are_never_limited()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = "10" });
        var client = factory.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetAsync("/version")));
        var probes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.GetAsync(i % 2 == 0 ? "/livez" : "/readyz")));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.OK);
        var limited = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await ProblemAssertions.AssertProblemAsync(limited[0], HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.All(probes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_limit_of_zero_turns_the_limiter_off()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = "0" });
        var client = factory.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.GetAsync("/version")));

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }
}
