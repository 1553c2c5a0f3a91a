using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Company.Service1.Tests.Todos;

/// <summary>
/// Token validation on the Native AOT binary: the JWKS parsing, the OIDC metadata reader and the signature checks
/// survive trimming, with keys given in the settings and with keys fetched from an authority.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class TodosAuthenticationNativeAotTests : IDisposable
{
    private readonly TokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task The_aot_binary_checks_tokens_against_signing_keys_from_its_settings()
    {
        var (secret, jwk) = TokenIssuer.SharedSecret("shared-1");
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Authentication__Disabled"] = null,
            ["Authentication__Issuer"] = TokenIssuer.Issuer,
            ["Authentication__Audience"] = TokenIssuer.Audience,
            ["Authentication__SigningKeys"] = TokenIssuer.Document(TokenIssuer.PublicJwk(_issuer.Key, _issuer.KeyId), jwk),
        }, executable: await PublishedService.AotExecutableAsync());
        await service.WaitUntilReadyAsync();

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(service, HttpMethod.Post, _issuer.Token())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(service, HttpMethod.Get, _issuer.Token(signingKey: secret))).StatusCode);
        using var other = new TokenIssuer(_issuer.KeyId);
        await ProblemAssertions.AssertProblemAsync(await SendAsync(service, HttpMethod.Get, other.Token()), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssertions.AssertProblemAsync(await SendAsync(service, HttpMethod.Get, TokenIssuer.UnsignedToken()), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssertions.AssertProblemAsync(await SendAsync(service, HttpMethod.Post, _issuer.Token(scope: TodosEndpoints.ReadScope)), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task The_aot_binary_checks_tokens_against_keys_fetched_from_an_authority()
    {
        using var authority = new LoopbackJsonServer("/", request => Task.FromResult(request.Url!.AbsolutePath switch
        {
            "/.well-known/openid-configuration" => (200, (JsonNode)new JsonObject
            {
                ["issuer"] = TokenIssuer.Issuer,
                ["jwks_uri"] = $"http://127.0.0.1:{request.Url.Port}/certs",
            }),
            "/certs" => (200, JsonNode.Parse(_issuer.Jwks)!),
            _ => (404, new JsonObject()),
        }));
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Authentication__Disabled"] = null,
            ["Authentication__Authority"] = authority.Url.ToString(),
            ["Authentication__RequireHttpsMetadata"] = "false",
            ["Authentication__Audience"] = TokenIssuer.Audience,
        }, executable: await PublishedService.AotExecutableAsync());
        await service.WaitUntilReadyAsync();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(service, HttpMethod.Get, _issuer.Token())).StatusCode);
        using var stranger = new TokenIssuer("unknown-key");
        await ProblemAssertions.AssertProblemAsync(await SendAsync(service, HttpMethod.Get, stranger.Token()), HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static async Task<HttpResponseMessage> SendAsync(ServiceProcess service, HttpMethod method, string token)
    {
        using var request = new HttpRequestMessage(method, TodosEndpoints.BasePath);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { title = "native" });
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.Client.SendAsync(request);
    }
}
