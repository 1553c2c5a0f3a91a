using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Company.Service1.Tests.Todos;

/// <summary>
/// Every operation needs a bearer token from the configured issuer with its scope: todos:read to read, todos:write
/// to change. Each way a token can be wrong is a 401 with WWW-Authenticate, a missing scope a 403, both as problem
/// details and never a 500. Keys and tokens are made here; nothing leaves the machine.
/// </summary>
public sealed class TodosAuthorizationTests : IDisposable
{
    private readonly TokenIssuer _issuer = new();
    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public TodosAuthorizationTests()
    {
        _factory = new ServiceFactory(_issuer.Settings());
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _issuer.Dispose();
    }

    [Fact]
    public async Task A_valid_token_with_the_read_scope_lists_the_todos()
    {
        using var response = await SendAsync(HttpMethod.Get, _issuer.Token(scope: TodosEndpoints.ReadScope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_token_with_the_write_scope_creates_a_todo()
    {
        using var response = await SendAsync(HttpMethod.Post, _issuer.Token(scope: TodosEndpoints.WriteScope));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("scp", "todos:read")]
    [InlineData("scope", "openid todos:read profile")]
    public async Task The_scope_is_read_from_scope_or_scp_space_separated(string claim, string value)
    {
        var token = _issuer.Token(scope: null, shape: d => d.Claims[claim] = value);

        using var response = await SendAsync(HttpMethod.Get, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_scope_claim_given_as_an_array_as_dotnet_user_jwts_writes_it_grants_each_scope()
    {
        var token = _issuer.Token(scope: null, shape: d => d.Claims["scope"] = new[] { "todos:read", "todos:write" });

        using var response = await SendAsync(HttpMethod.Post, token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task No_token_is_401_with_a_bearer_challenge()
    {
        using var response = await SendAsync(HttpMethod.Get, token: null);

        await AssertUnauthorizedAsync(response);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("wrong issuer")]
    [InlineData("wrong audience")]
    [InlineData("wrong signature")]
    [InlineData("alg none")]
    [InlineData("unknown kid")]
    [InlineData("shared secret under the issuer's key id")]
    public async Task An_invalid_token_is_401_with_an_invalid_token_challenge(string wrong)
    {
        var now = DateTime.UtcNow;
        using var other = new TokenIssuer(_issuer.KeyId);
        using var stranger = new TokenIssuer("unknown-key");
        var token = wrong switch
        {
            // Beyond the 30 s clock skew either way.
            "expired" => _issuer.Token(shape: d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddMinutes(-5))),
            "not yet valid" => _issuer.Token(shape: d => (d.NotBefore, d.Expires) = (now.AddMinutes(5), now.AddMinutes(15))),
            "wrong issuer" => _issuer.Token(shape: d => d.Issuer = "https://elsewhere.test"),
            "wrong audience" => _issuer.Token(shape: d => d.Audience = "another-service"),
            // Same kid, another key: the signature does not verify with the published key.
            "wrong signature" => other.Token(),
            "alg none" => TokenIssuer.UnsignedToken(),
            "unknown kid" => stranger.Token(),
            // Algorithm confusion: HS256 keyed with bytes an attacker could know must not pass for RS256.
            "shared secret under the issuer's key id" => _issuer.Token(signingKey: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = _issuer.KeyId }),
            _ => throw new ArgumentOutOfRangeException(nameof(wrong)),
        };

        using var response = await SendAsync(HttpMethod.Get, token);

        await AssertUnauthorizedAsync(response);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("0", HttpStatusCode.Unauthorized)]
    public async Task A_token_that_expired_seconds_ago_passes_within_the_clock_skew_only(string? skewSeconds, HttpStatusCode expected)
    {
        var settings = _issuer.Settings();
        settings["Authentication:ClockSkewSeconds"] = skewSeconds;
        using var factory = new ServiceFactory(settings);
        using var client = factory.CreateClient();
        var now = DateTime.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Get, TodosEndpoints.BasePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            _issuer.Token(shape: d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-5), now.AddMinutes(-5), now.AddSeconds(-10))));

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer !!!.???.***")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0")]
    [InlineData("Bearer a b c")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("bearer")]
    [InlineData("Token abc")]
    public async Task A_malformed_authorization_header_is_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, TodosEndpoints.BasePath);
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await _client.SendAsync(request);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task An_oversized_token_within_the_header_limit_is_401()
    {
        // 30 KB: under Kestrel's 32 KiB header limit, so it reaches the token handler (beyond it, Kestrel answers 431).
        var token = _issuer.Token() + new string('A', 30_000);

        using var response = await SendAsync(HttpMethod.Get, token);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task A_valid_token_without_the_write_scope_is_403_on_a_write()
    {
        using var response = await SendAsync(HttpMethod.Post, _issuer.Token(scope: TodosEndpoints.ReadScope));

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("Bearer error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("todos:write")]
    [InlineData("todos:reader")]
    [InlineData("TODOS:READ")]
    public async Task A_valid_token_without_the_read_scope_is_403_on_a_read(string? scope)
    {
        using var response = await SendAsync(HttpMethod.Get, _issuer.Token(scope: scope));

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Replace_and_delete_need_the_write_scope(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{TodosEndpoints.BasePath}/{Guid.NewGuid()}")
        {
            Content = JsonContent.Create(new { title = "t", done = true }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Token(scope: TodosEndpoints.ReadScope));
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));

        using var response = await _client.SendAsync(request);

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    [InlineData("/healthz")]
    [InlineData("/version")]
    [InlineData("/openapi/v1.json")]
    public async Task The_probes_version_and_api_document_need_no_token(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_authentication_disabled_the_api_is_open()
    {
        using var open = new ServiceFactory();
        using var client = open.CreateClient();

        using var response = await client.PostAsJsonAsync(TodosEndpoints.BasePath, new { title = "no token" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string? token)
    {
        using var request = new HttpRequestMessage(method, TodosEndpoints.BasePath);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { title = "from a token" });
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _client.SendAsync(request);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }
}
