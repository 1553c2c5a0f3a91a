using System.Security.Claims;
using Company.Service1.Platform.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting.Internal;

namespace Company.Service1.Tests.Platform.Authentication;

/// <summary>How the settings decide whether the API checks tokens, and which tokens grant a scope.</summary>
public sealed class AuthenticationModeTests
{
    private const string Jwks = """{"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]}""";

    [Theory]
    [InlineData("Production", AuthenticationMode.Refused)]
    [InlineData("Staging", AuthenticationMode.Refused)]
    [InlineData("Development", AuthenticationMode.DevelopmentOpen)]
    public void With_nothing_configured_only_Development_serves_the_API_open(string environment, AuthenticationMode expected) =>
        Assert.Equal(expected, ApiAuthentication.ModeOf(Settings([]), Environment(environment)));

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void Disabled_wins_over_configured_settings(string environment) =>
        Assert.Equal(AuthenticationMode.Disabled, ApiAuthentication.ModeOf(
            Settings(new() { ["Authentication:Disabled"] = "true", ["Authentication:Authority"] = "https://login.example" }), Environment(environment)));

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void An_authority_or_an_issuer_is_the_configured_mode_in_every_environment(string environment)
    {
        Assert.Equal(AuthenticationMode.Configured, ApiAuthentication.ModeOf(
            Settings(new() { ["Authentication:Authority"] = "https://login.example" }), Environment(environment)));
        Assert.Equal(AuthenticationMode.Configured, ApiAuthentication.ModeOf(
            Settings(new() { ["Authentication:Issuer"] = "https://issuer.example", ["Authentication:SigningKeys"] = Jwks }), Environment(environment)));
    }

    [Fact]
    public void The_keys_of_dotnet_user_jwts_count_in_Development_only()
    {
        var userJwts = Settings(new() { ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = "c2VjcmV0", ["Authentication:Schemes:Bearer:ValidIssuer"] = "dotnet-user-jwts" });

        Assert.Equal(AuthenticationMode.UserJwts, ApiAuthentication.ModeOf(userJwts, Environment("Development")));
        Assert.Equal(AuthenticationMode.Refused, ApiAuthentication.ModeOf(userJwts, Environment("Production")));
    }

    [Theory]
    [InlineData("scope", "todos:read", true)]
    [InlineData("scope", "openid todos:read profile", true)]
    [InlineData("scp", "todos:read", true)]
    [InlineData("scope", "  todos:read  ", true)]
    [InlineData("scope", "todos:write", false)]
    [InlineData("scope", "todos:read:all", false)]
    [InlineData("scope", "TODOS:READ", false)]
    [InlineData("scope", "", false)]
    [InlineData("roles", "todos:read", false)]
    public void A_token_grants_a_scope_only_by_its_exact_name_in_a_scope_claim(string claimType, string value, bool granted)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice"), new Claim(claimType, value)], "Bearer"));

        Assert.Equal(granted, new ScopeRequirement("todos:read").IsGrantedTo(user));
    }

    [Fact]
    public void Scopes_may_arrive_as_several_claims()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("scope", "openid"), new Claim("scope", "todos:read")], "Bearer"));

        Assert.True(new ScopeRequirement("todos:read").IsGrantedTo(user));
    }

    private static IConfiguration Settings(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static HostingEnvironment Environment(string name) => new()
    {
        EnvironmentName = name,
        ApplicationName = "Company.Service1",
        ContentRootPath = AppContext.BaseDirectory,
        ContentRootFileProvider = new NullFileProvider(),
    };
}
