namespace Company.Service1.Tests.Platform.Configuration;

/// <summary>Which combinations of authentication settings start the service, and what the refusal says.</summary>
public sealed class ApiAuthenticationOptionsTests
{
    private const string Jwks = """{"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]}""";

    [Fact]
    public void The_defaults_are_a_30_second_skew_https_metadata_and_authentication_on()
    {
        var options = new ApiAuthenticationOptions();

        Assert.Equal(30, options.ClockSkewSeconds);
        Assert.True(options.RequireHttpsMetadata);
        Assert.False(options.Disabled);
        Assert.False(options.Configured);
    }

    [Fact]
    public void An_authority_with_an_audience_is_valid() =>
        AssertValid(new ApiAuthenticationOptions { Authority = "https://login.example/realms/prod", Audience = "company-service1" });

    [Fact]
    public void An_issuer_with_signing_keys_and_an_audience_is_valid() =>
        AssertValid(new ApiAuthenticationOptions { Issuer = "https://issuer.example", SigningKeys = Jwks, Audience = "company-service1" });

    [Fact]
    public void Disabled_is_valid_whatever_else_is_set() =>
        AssertValid(new ApiAuthenticationOptions { Disabled = true, Issuer = "https://issuer.example" });

    [Theory]
    [InlineData("https://login.example", "https://issuer.example", null, "company-service1", "cannot be combined")]
    [InlineData("https://login.example", null, Jwks, "company-service1", "cannot be combined")]
    [InlineData(null, "https://issuer.example", null, "company-service1", "go together")]
    [InlineData(null, null, Jwks, "company-service1", "go together")]
    [InlineData("https://login.example", null, null, null, "Authentication:Audience is required")]
    [InlineData(null, "https://issuer.example", Jwks, "", "Authentication:Audience is required")]
    [InlineData(null, null, null, "company-service1", "Authentication:Audience needs Authentication:Authority")]
    [InlineData("http://keycloak:8080/realms/prod", null, null, "company-service1", "must be an https:// URL")]
    [InlineData("not a url", null, null, "company-service1", "Authority")]
    [InlineData(null, "https://issuer.example", "not json", "company-service1", "is not a JWKS document")]
    [InlineData(null, "https://issuer.example", """{"keys":[]}""", "company-service1", "holds no usable signing key")]
    [InlineData(null, "https://issuer.example", """{"keys":[{"kty":"RSA","kid":"k1"}]}""", "company-service1", "holds no usable signing key")]
    public void A_bad_combination_is_refused_naming_the_settings(string? authority, string? issuer, string? keys, string? audience, string message)
    {
        var result = Validate(new ApiAuthenticationOptions { Authority = authority, Issuer = issuer, SigningKeys = keys, Audience = audience });

        Assert.True(result.Failed, "expected the settings to be refused");
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_authority_is_accepted_once_https_metadata_is_turned_off() =>
        AssertValid(new ApiAuthenticationOptions { Authority = "http://keycloak:8080/realms/prod", Audience = "company-service1", RequireHttpsMetadata = false });

    [Fact]
    public void A_refusal_never_quotes_the_signing_keys()
    {
        const string secretish = """{"keys":[{"kty":"oct","kid":"k1","k":""}], "x": "do-not-echo-me"}""";

        var result = Validate(new ApiAuthenticationOptions { Issuer = "https://issuer.example", SigningKeys = secretish, Audience = "a" });

        Assert.True(result.Failed);
        Assert.DoesNotContain("do-not-echo-me", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void The_clock_skew_is_0_to_300_seconds(int seconds, bool valid) =>
        Assert.Equal(valid, Validate(new ApiAuthenticationOptions { Disabled = true, ClockSkewSeconds = seconds }).Succeeded);

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(ApiAuthenticationOptions options) =>
        new ApiAuthenticationOptionsValidator().Validate(null, options);

    private static void AssertValid(ApiAuthenticationOptions options)
    {
        var result = Validate(options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
