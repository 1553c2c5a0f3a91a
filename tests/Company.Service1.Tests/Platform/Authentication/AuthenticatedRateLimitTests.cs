using System.Net;
using System.Net.Http.Headers;
using Company.Service1.Tests.Platform.RateLimiting;

namespace Company.Service1.Tests.Platform.Authentication;

/// <summary>
/// Authentication runs before the rate limiter, so the per-client limit counts a real token's subject, wherever its
/// requests come from.
/// </summary>
public sealed class AuthenticatedRateLimitTests
{
    [Fact]
    public async Task Requests_with_one_subjects_token_from_many_addresses_share_one_client_budget()
    {
        using var issuer = new TokenIssuer();
        var settings = issuer.Settings();
        settings["RateLimit:PermitsPerSecond"] = "0";
        settings["RateLimit:PermitsPerClientPerSecond"] = "5";
        await using var factory = new ServiceFactory(settings);
        var client = factory.WithClients().CreateClient();
        var token = issuer.Token();

        var answers = await Task.WhenAll(Enumerable.Range(1, 30).Select(i =>
        {
            var request = Clients.Request("/version", $"198.51.100.{i}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client.SendAsync(request);
        }));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.OK);
    }
}
