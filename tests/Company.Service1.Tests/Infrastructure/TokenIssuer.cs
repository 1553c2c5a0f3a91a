using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Company.Service1.Tests.Infrastructure;

/// <summary>
/// A token issuer made up in the test: its own RSA key, its JWKS document and tokens signed with it, no network.
/// <see cref="Settings"/> configures the service to trust it.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "company-service1";

    private readonly RSA _rsa = RSA.Create(2048);

    public TokenIssuer(string keyId = "test-key")
    {
        KeyId = keyId;
        Key = new RsaSecurityKey(_rsa) { KeyId = keyId };
    }

    public string KeyId { get; }

    public RsaSecurityKey Key { get; }

    /// <summary>The public key as a JWKS document, as an identity provider publishes it.</summary>
    public string Jwks => Document(PublicJwk(Key, KeyId));

    /// <summary>The service's settings (in-process form) to trust this issuer, with authentication on.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Authentication:Disabled"] = "false",
        ["Authentication:Issuer"] = Issuer,
        ["Authentication:Audience"] = Audience,
        ["Authentication:SigningKeys"] = Jwks,
    };

    /// <summary>A token valid for 10 minutes with <paramref name="scope"/> (space-separated), or as <paramref name="shape"/> changes it.</summary>
    public string Token(string? scope = "todos:read todos:write", Action<SecurityTokenDescriptor>? shape = null, SecurityKey? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "user-42" },
            SigningCredentials = new SigningCredentials(signingKey ?? Key, signingKey is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256),
        };
        if (scope is not null)
        {
            descriptor.Claims["scope"] = scope;
        }

        shape?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string UnsignedToken()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = "user-42",
            ["scope"] = "todos:read todos:write",
            ["nbf"] = now,
            ["exp"] = now + 600,
        }.ToJsonString());
        return $"{header}.{payload}.";
    }

    public static JsonObject PublicJwk(RsaSecurityKey key, string keyId)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = keyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>A shared secret (HS256) and its JWKS entry.</summary>
    public static (SymmetricSecurityKey Key, JsonObject Jwk) SharedSecret(string keyId)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        return (new SymmetricSecurityKey(secret) { KeyId = keyId },
            new JsonObject { ["kty"] = "oct", ["alg"] = "HS256", ["kid"] = keyId, ["k"] = Base64UrlEncoder.Encode(secret) });
    }

    public static string Document(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys]) }.ToJsonString();

    public void Dispose() => _rsa.Dispose();
}
