using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// JWT bearer authentication of the API. Keys come from an OIDC <see cref="Authority"/> (its metadata and JWKS are
/// fetched and refreshed), or, for clusters without an identity provider the pod can reach, from
/// <see cref="Issuer"/> plus a fixed <see cref="SigningKeys"/> document.
/// </summary>
public sealed class ApiAuthenticationOptions : IValidatableObject
{
    public const string Section = "Authentication";

    /// <summary>The OIDC authority, e.g. <c>https://login.example.com/realms/prod</c>; its issuer is the one tokens must carry.</summary>
    [Url]
    public string? Authority { get; set; }

    /// <summary>The issuer (<c>iss</c>) tokens must carry when the keys are given in <see cref="SigningKeys"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) tokens must carry: this service's name at the identity provider.</summary>
    public string? Audience { get; set; }

    /// <summary>A JWKS document (<c>{"keys":[...]}</c>) as a string: the public keys (RSA, EC) or shared secrets (oct) tokens are signed with.</summary>
    public string? SigningKeys { get; set; }

    /// <summary>
    /// Leeway for <c>exp</c> and <c>nbf</c> against clocks that drift. 30 s covers NTP-synced nodes; the framework's
    /// 5 minutes would keep a revoked-by-expiry token usable for that long.
    /// </summary>
    [Range(0, 300)]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Fetch the authority's metadata over HTTPS only. Turn off only for a loopback or in-cluster HTTP authority.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Serve the API without authentication. Logged loudly at every start.</summary>
    public bool Disabled { get; set; }

    /// <summary>Whether any of the token settings is given; validation makes sure they fit together.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(Issuer)
        || !string.IsNullOrWhiteSpace(SigningKeys) || !string.IsNullOrWhiteSpace(Audience);

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(ClockSkewSeconds);

    /// <summary>The keys in <see cref="SigningKeys"/>; only call once validation passed.</summary>
    public IList<SecurityKey> ParseSigningKeys() => SigningKeysOf(SigningKeys!);

    // JsonWebKeySet turns RSA and EC entries into keys but skips oct ones, so shared secrets are added here.
    private static List<SecurityKey> SigningKeysOf(string document)
    {
        var set = new JsonWebKeySet(document);
        var keys = set.GetSigningKeys().ToList();
        keys.AddRange(set.Keys
            .Where(key => key.Kty == JsonWebAlgorithmsKeyTypes.Octet && !string.IsNullOrEmpty(key.K)
                && (string.IsNullOrEmpty(key.Use) || key.Use == JsonWebKeyUseNames.Sig))
            .Select(key => new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(key.K)) { KeyId = key.Kid }));
        return keys;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Disabled)
        {
            yield break;
        }

        var hasAuthority = !string.IsNullOrWhiteSpace(Authority);
        var hasIssuer = !string.IsNullOrWhiteSpace(Issuer);
        var hasKeys = !string.IsNullOrWhiteSpace(SigningKeys);
        if (hasAuthority && (hasIssuer || hasKeys))
        {
            yield return new ValidationResult(
                "Authentication:Authority cannot be combined with Authentication:Issuer or Authentication:SigningKeys; the authority provides both.",
                [nameof(Authority)]);
        }
        else if (hasAuthority && RequireHttpsMetadata && !Authority!.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // The bearer handler would refuse it on the first request, as a 500; here it stops the start instead.
            yield return new ValidationResult(
                "Authentication:Authority must be an https:// URL, or set Authentication:RequireHttpsMetadata=false for an in-cluster HTTP authority.",
                [nameof(Authority)]);
        }
        else if (hasIssuer != hasKeys)
        {
            yield return new ValidationResult(
                "Authentication:Issuer and Authentication:SigningKeys go together: set both, or set Authentication:Authority instead.",
                [hasIssuer ? nameof(SigningKeys) : nameof(Issuer)]);
        }
        else if (hasKeys && KeysProblem(SigningKeys!) is { } problem)
        {
            yield return new ValidationResult($"Authentication:SigningKeys {problem}", [nameof(SigningKeys)]);
        }

        if (!hasAuthority && !hasIssuer && !hasKeys && !string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult(
                "Authentication:Audience needs Authentication:Authority, or Authentication:Issuer with Authentication:SigningKeys.", [nameof(Audience)]);
        }
        else if ((hasAuthority || hasKeys) && string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult("Authentication:Audience is required: tokens for other services must not be accepted here.", [nameof(Audience)]);
        }
    }

    // The message never quotes the document: it may hold shared secrets.
    private static string? KeysProblem(string document)
    {
        try
        {
            return SigningKeysOf(document).Count > 0 ? null : "holds no usable signing key (RSA, EC or oct with its key material).";
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return "is not a JWKS document ({\"keys\":[...]}).";
        }
    }
}

[OptionsValidator]
public sealed partial class ApiAuthenticationOptionsValidator : IValidateOptions<ApiAuthenticationOptions>;
