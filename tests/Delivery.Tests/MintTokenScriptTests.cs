using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Delivery.Tests;

/// <summary>
/// scripts/mint-token.sh, which users and the e2e scripts mint tokens with for the chart's generated HS256 key: real
/// bash and openssl; each token is decoded here and its signature checked against the key with .NET's own HMAC.
/// </summary>
public sealed class MintTokenScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mint-token-").FullName;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_token_carries_the_claims_asked_for_and_is_signed_with_the_oct_key()
    {
        // An RSA key first: the script takes the first symmetric key, with its kid.
        var jwks = WriteJwks($$"""{"keys": [{"kty": "RSA", "e": "AQAB", "n": "xyz", "kid": "rsa-1"}, {"kty": "oct", "alg": "HS256", "kid": "k-7", "k": "{{Base64Url(_key)}}"}]}""");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var result = await MintAsync("--jwks", jwks, "--issuer", "company-service1", "--audience", "company-service1",
            "--subject", "alice \"the admin\"", "--scope", "todos:read todos:write", "--lifetime", "600");

        Assert.True(result.Succeeded, result.Describe());
        var (header, payload) = Verify(result.StandardOutput, _key);
        Assert.Equal("HS256", Claim(header, "alg"));
        Assert.Equal("k-7", Claim(header, "kid"));
        Assert.Equal("company-service1", Claim(payload, "iss"));
        Assert.Equal("company-service1", Claim(payload, "aud"));
        Assert.Equal("alice \"the admin\"", Claim(payload, "sub"));
        Assert.Equal("todos:read todos:write", Claim(payload, "scope"));
        var issuedAt = payload["iat"]!.GetValue<long>();
        Assert.InRange(issuedAt, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(issuedAt, payload["nbf"]!.GetValue<long>());
        Assert.Equal(issuedAt + 600, payload["exp"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_key_can_come_from_the_charts_Secret_through_kubectl()
    {
        // kubectl stands in for the cluster: it answers the one query the script makes with the Secret's data.
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"keys":[{"kty":"oct","k":"{{Base64Url(_key)}}"}]}"""));
        var kubectl = Path.Combine(_directory, "kubectl");
        await File.WriteAllTextAsync(kubectl, $$"""
            #!/bin/sh
            [ "$*" = "--namespace apps get secret company-service1-jwt -o jsonpath={.data.jwks}" ] || { echo "unexpected: $*" >&2; exit 1; }
            printf '%s' '{{data}}'
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = await MintAsync(new Dictionary<string, string> { ["KUBECTL"] = kubectl },
            "--secret", "company-service1-jwt", "--namespace", "apps", "--issuer", "i", "--audience", "a");

        Assert.True(result.Succeeded, result.Describe());
        var (header, payload) = Verify(result.StandardOutput, _key);
        Assert.Null(header["kid"]);
        Assert.Null(payload["scope"]);
        Assert.Equal(3600, payload["exp"]!.GetValue<long>() - payload["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_token_does_not_verify_with_another_key()
    {
        var jwks = WriteJwks($$"""{"keys":[{"kty":"oct","k":"{{Base64Url(_key)}}"}]}""");

        var result = await MintAsync("--jwks", jwks, "--issuer", "i", "--audience", "a");

        Assert.True(result.Succeeded, result.Describe());
        Assert.True(SignatureMatches(result.StandardOutput, _key));
        Assert.False(SignatureMatches(result.StandardOutput, RandomNumberGenerator.GetBytes(32)));
    }

    [Theory]
    [InlineData("""{"keys":[{"kty":"RSA","e":"AQAB","n":"xyz"}]}""", "no symmetric (oct) key")]
    [InlineData("""{"keys":[{"kty":"oct","k":"c2hvcnQ"}]}""", "shorter than 256 bits")]
    public async Task A_JWKS_it_cannot_sign_for_is_refused_with_one_line(string document, string message)
    {
        var result = await MintAsync("--jwks", WriteJwks(document), "--issuer", "i", "--audience", "a");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--issuer i --audience a")]
    [InlineData("--jwks jwks.json --audience a")]
    [InlineData("--jwks jwks.json --issuer i --audience a --lifetime soon")]
    [InlineData("--jwks jwks.json --secret company-service1-jwt --issuer i --audience a")]
    public async Task Missing_or_bad_arguments_are_refused(string arguments)
    {
        WriteJwks($$"""{"keys":[{"kty":"oct","k":"{{Base64Url(_key)}}"}]}""");

        var result = await MintAsync(arguments.Split(' '));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.StandardOutput);
    }

    private string WriteJwks(string document)
    {
        var path = Path.Combine(_directory, "jwks.json");
        File.WriteAllText(path, document);
        return path;
    }

    private Task<ProcessResult> MintAsync(params string[] arguments) => MintAsync(new Dictionary<string, string>(), arguments);

    private Task<ProcessResult> MintAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ProcessRunner.RunAsync(Repository.PathOf("scripts/mint-token.sh"), arguments, TimeSpan.FromSeconds(30), _directory, environment);

    /// <summary>Checks the HS256 signature with the key and returns the decoded header and payload.</summary>
    private static (JsonNode Header, JsonNode Payload) Verify(string token, byte[] key)
    {
        var parts = token.Trim().Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(SignatureMatches(token, key), "the signature does not verify with the key");
        return (JsonNode.Parse(FromBase64Url(parts[0]))!, JsonNode.Parse(FromBase64Url(parts[1]))!);
    }

    private static bool SignatureMatches(string token, byte[] key)
    {
        var parts = token.Trim().Split('.');
        return CryptographicOperations.FixedTimeEquals(
            HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}")), FromBase64Url(parts[2]));
    }

    private static string? Claim(JsonNode node, string name) => node[name]?.GetValue<string>();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
