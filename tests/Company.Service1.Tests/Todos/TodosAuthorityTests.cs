using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Company.Service1.Tests.Todos;

/// <summary>
/// With Authentication:Authority, the service fetches the authority's OIDC metadata and JWKS and trusts the issuer
/// and keys they name. The authority here is a loopback stand-in serving both documents.
/// </summary>
public sealed class TodosAuthorityTests : IDisposable
{
    private readonly TokenIssuer _issuer = new("authority-key");
    private readonly LoopbackJsonServer _authority;
    private readonly List<string> _requested = [];
    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public TodosAuthorityTests()
    {
        _authority = new LoopbackJsonServer("/realms/test/", request =>
        {
            var path = request.Url!.AbsolutePath;
            lock (_requested)
            {
                _requested.Add(path);
            }

            return Task.FromResult(path switch
            {
                "/realms/test/.well-known/openid-configuration" => (200, (JsonNode)new JsonObject
                {
                    ["issuer"] = TokenIssuer.Issuer,
                    ["jwks_uri"] = new Uri(_authority!.Url, "realms/test/protocol/openid-connect/certs").ToString(),
                }),
                "/realms/test/protocol/openid-connect/certs" => (200, JsonNode.Parse(_issuer.Jwks)!),
                _ => (404, new JsonObject()),
            });
        });
        _factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Authentication:Disabled"] = "false",
            ["Authentication:Authority"] = new Uri(_authority.Url, "realms/test").ToString(),
            ["Authentication:Audience"] = TokenIssuer.Audience,
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _authority.Dispose();
        _issuer.Dispose();
    }

    [Fact]
    public async Task A_token_signed_with_a_key_from_the_authoritys_jwks_is_accepted()
    {
        using var response = await GetAsync(_issuer.Token(scope: TodosEndpoints.ReadScope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (_requested)
        {
            Assert.Contains("/realms/test/.well-known/openid-configuration", _requested);
            Assert.Contains("/realms/test/protocol/openid-connect/certs", _requested);
        }
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_401_even_when_signed_with_the_authoritys_key()
    {
        using var response = await GetAsync(_issuer.Token(shape: d => d.Issuer = "https://elsewhere.test"));

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_authority_does_not_publish_is_401()
    {
        using var stranger = new TokenIssuer("authority-key");

        using var response = await GetAsync(stranger.Token());

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_authority_that_cannot_be_reached_is_a_503_with_retry_after_not_a_500()
    {
        // Nothing listens on a free port: every fetch of the metadata is refused.
        using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Authentication:Disabled"] = "false",
            ["Authentication:Authority"] = $"http://127.0.0.1:{FreePort.Next()}/realms/test",
            ["Authentication:Audience"] = TokenIssuer.Audience,
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        using var client = factory.CreateClient();

        using var response = await GetAsync(_issuer.Token(scope: TodosEndpoints.ReadScope), client);

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "identity-provider-unavailable");
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
    }

    [Fact]
    public async Task An_authority_that_hangs_is_a_503_within_seconds()
    {
        using var silent = new SilentEndpoint();
        using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Authentication:Disabled"] = "false",
            ["Authentication:Authority"] = new Uri(new Uri(silent.Url), "realms/test").ToString(),
            ["Authentication:Audience"] = TokenIssuer.Audience,
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        using var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await GetAsync(_issuer.Token(scope: TodosEndpoints.ReadScope), client);

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "identity-provider-unavailable");
        // The metadata fetch gives up after 5 s, and is asked for twice (by the handler, then to tell the outage from a bad
        // token); the framework's own deadline would be 60 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task<HttpResponseMessage> GetAsync(string token, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, TodosEndpoints.BasePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await (client ?? _client).SendAsync(request);
    }
}
