using System.Globalization;
using System.Net;

namespace Company.Service1.Tests.Platform.RateLimiting;

/// <summary>What a refused client is told: when to come back, and which limit it hit with that limit's number.</summary>
public sealed class RefusalTests
{
    private const string Address = "192.0.2.1";

    [Theory]
    [InlineData(0, 5, "This instance accepts 5 requests per second from one client. Retry after the interval in Retry-After.")]
    [InlineData(7, 0, "This instance accepts 7 requests per second from all clients together. Retry after the interval in Retry-After.")]
    public async Task A_refused_request_may_retry_after_one_second_and_is_told_the_limit_it_hit(int instance, int perClient, string detail)
    {
        // Buckets refill ten times a second, so the next permit is never more than a second away.
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerSecond"] = instance.ToString(CultureInfo.InvariantCulture),
            ["RateLimit:PermitsPerClientPerSecond"] = perClient.ToString(CultureInfo.InvariantCulture),
        });
        var client = factory.WithClients().CreateClient();

        var answers = await client.SendAsync(40, "/version", Address);

        var refused = answers.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(["1"], refused.Headers.GetValues("Retry-After"));
        var problem = await ProblemAssertions.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal("Too many requests.", problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }
}
