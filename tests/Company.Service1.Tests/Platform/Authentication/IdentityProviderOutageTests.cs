using System.Net;
using System.Net.Http.Headers;
using Company.Service1.Platform.Authentication;
using Microsoft.Extensions.Logging;

namespace Company.Service1.Tests.Platform.Authentication;

/// <summary>
/// An authority that cannot be reached, seen on any path: every request with a token is authenticated, so
/// <c>/version</c> shows the outage's whole answer without a feature (TodosAuthorityTests show it on the sample).
/// </summary>
public sealed class IdentityProviderOutageTests : IDisposable
{
    private readonly TokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task A_token_that_cannot_be_checked_is_a_503_saying_so_and_the_log_gives_the_fetch_failure()
    {
        var log = new CapturedLog();
        // Nothing listens on a free port: every fetch of the metadata is refused.
        await using var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Authentication:Disabled"] = "false",
            ["Authentication:Authority"] = $"http://127.0.0.1:{FreePort.Next()}/realms/test",
            ["Authentication:Audience"] = TokenIssuer.Audience,
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        using var client = service.LoggingTo(log).CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Token());

        using var response = await client.SendAsync(request);

        var problem = await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "identity-provider-unavailable");
        Assert.Equal("The identity provider is unavailable.", problem.GetProperty("title").GetString());
        Assert.Equal(
            "The token could not be checked, so the request was not processed. Retry after the interval in Retry-After.",
            problem.GetProperty("detail").GetString());
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
        // The reason is the fetch's own failure (the metadata address it could not get), not the wrapper's sentence.
        var warning = Assert.Single(log.Lines, l => l.Category == typeof(IdentityProviderUnavailable).FullName);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("Identity provider unavailable: ", warning.Message, StringComparison.Ordinal);
        Assert.Contains("/realms/test/.well-known/openid-configuration", warning.Message, StringComparison.Ordinal);
    }
}
