using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// The Authentication__* settings the chart gives the pods: a closed API by default (a signing key the chart
/// generates and keeps), the user's Secret or identity provider instead, an explicit and loud opt-out, the same
/// settings on both slots, and the optional token checks in the Istio sidecars.
/// </summary>
[Collection(RenderedSetsGroup.Name)]
public sealed class AuthenticationTests(RenderedSets rendered) : IDisposable
{
    private const string GeneratedSecret = "company-service1-jwt";
    private readonly string _directory = Directory.CreateTempSubdirectory("chart-auth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_default_install_generates_a_256_bit_HS256_key_in_a_Secret_that_both_slots_read()
    {
        var manifests = rendered["defaults"];

        var key = Assert.Single(Jwks(manifests).Objects("keys"));
        Assert.Equal("oct", key.Text("kty"));
        Assert.Equal("HS256", key.Text("alg"));
        Assert.Equal(32, Base64UrlDecode(key.Text("k")!).Length);
        Assert.All(manifests.Servers(), pod =>
        {
            var env = AuthenticationEnv(pod);
            Assert.Equal("false", env["Authentication__Disabled"].Text("value"));
            Assert.Equal("company-service1", env["Authentication__Issuer"].Text("value"));
            Assert.Equal("company-service1", env["Authentication__Audience"].Text("value"));
            Assert.Equal(GeneratedSecret, env["Authentication__SigningKeys"].Text("valueFrom.secretKeyRef.name"));
            Assert.Equal("jwks", env["Authentication__SigningKeys"].Text("valueFrom.secretKeyRef.key"));
        });
        Assert.Equal(2, manifests.Servers().Count());
    }

    [Fact]
    public void The_generated_key_appears_only_in_its_Secret()
    {
        var manifests = rendered["defaults"];
        var k = Assert.Single(Jwks(manifests).Objects("keys")).Text("k")!;

        Assert.All(manifests.Where(m => m.Kind != "Secret"), m => Assert.DoesNotContain(k, m.Body.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Each_fresh_install_gets_a_key_of_its_own()
    {
        var first = Assert.Single(Jwks(Renderer.Render([])).Objects("keys")).Text("k");
        var second = Assert.Single(Jwks(Renderer.Render([])).Objects("keys")).Text("k");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void An_existing_Secret_is_read_by_reference_and_no_key_is_generated()
    {
        var manifests = Renderer.Render(["--set", "authentication.signingKeys.existingSecret=shop-keys", "--set", "authentication.signingKeys.existingSecretKey=jwks.json"]);

        Assert.Empty(manifests.OfKind("Secret"));
        Assert.All(manifests.Servers(), pod =>
        {
            var env = AuthenticationEnv(pod);
            Assert.Equal("shop-keys", env["Authentication__SigningKeys"].Text("valueFrom.secretKeyRef.name"));
            Assert.Equal("jwks.json", env["Authentication__SigningKeys"].Text("valueFrom.secretKeyRef.key"));
            Assert.Equal("company-service1", env["Authentication__Issuer"].Text("value"));
        });
    }

    [Fact]
    public void An_authority_needs_no_Secret_and_the_pods_may_reach_it_on_443()
    {
        var manifests = Renderer.Render(Cluster.Plain, ["--set", "authentication.authority=https://login.example.com/realms/shop"]);

        Assert.Empty(manifests.OfKind("Secret"));
        var env = AuthenticationEnv(manifests.Servers().First());
        Assert.Equal("https://login.example.com/realms/shop", env["Authentication__Authority"].Text("value"));
        Assert.Equal("true", env["Authentication__RequireHttpsMetadata"].Text("value"));
        Assert.Equal("company-service1", env["Authentication__Audience"].Text("value"));
        // The provider's metadata names the issuer.
        Assert.False(env.ContainsKey("Authentication__Issuer"));
        Assert.False(env.ContainsKey("Authentication__SigningKeys"));
        var provider = Assert.Single(Egress(manifests), r => r.Objects("ports").Any(p => p.Text("port") == "443"));
        // Public addresses only: never the cluster's private ranges or the cloud metadata address.
        var block = Assert.Single(provider.Objects("to")).At("ipBlock")!;
        Assert.Equal("0.0.0.0/0", block.Text("cidr"));
        Assert.Superset(new HashSet<string> { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16" },
            block["except"]!.AsArray().Select(e => e!.ToString()).ToHashSet());
        Assert.DoesNotContain(Egress(rendered["defaults"]).SelectMany(r => r.Objects("ports")), p => p.Text("port") == "443");
    }

    [Fact]
    public void Turning_authentication_off_is_explicit_and_the_notes_warn_about_it()
    {
        var manifests = Renderer.Render(["--set", "authentication.disabled=true"]);
        var notes = Notes("--set", "authentication.disabled=true");

        Assert.Empty(manifests.OfKind("Secret"));
        Assert.All(manifests.Servers(), pod =>
            Assert.Equal(["Authentication__Disabled=true"], AuthenticationEnv(pod).Select(e => $"{e.Key}={e.Value.Text("value")}")));
        Assert.Contains("WARNING: authentication.disabled is true: the API is OPEN", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("OPEN", Notes(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_notes_tell_how_to_mint_a_token_for_the_generated_key()
    {
        var notes = Notes();

        Assert.Contains("scripts/mint-token.sh --secret company-service1-jwt --namespace apps --key jwks", notes, StringComparison.Ordinal);
        Assert.Contains("--issuer company-service1 --audience company-service1", notes, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SetNames.Slots), MemberType = typeof(SetNames))]
    public void Both_slots_get_identical_authentication_settings(string set)
    {
        var servers = rendered[set].Servers().ToList();

        Assert.Equal(2, servers.Count);
        Assert.Equal(Describe(AuthenticationEnv(servers[0])), Describe(AuthenticationEnv(servers[1])));
    }

    [Fact]
    public void The_Argo_Rollout_reads_the_same_generated_key()
    {
        var manifests = rendered["argo-rollouts"];
        var rollout = Assert.Single(manifests.Servers());

        Assert.Equal("Rollout", rollout.Owner.Kind);
        Assert.Equal(GeneratedSecret, AuthenticationEnv(rollout)["Authentication__SigningKeys"].Text("valueFrom.secretKeyRef.name"));
        Assert.Single(manifests.OfKind("Secret"));
    }

    [Fact]
    public void A_slot_with_its_own_configuration_keeps_the_shared_authentication()
    {
        var manifests = Renderer.Render(["--set", "slots.green.config.logLevel=Debug", "--set", "slots.green.config.drillsEnabled=true",
            "--set", "authentication.signingKeys.existingSecret=shop-keys", "--set", "authentication.issuer=https://issuer.example.com"]);
        var blue = manifests.Servers().Single(p => p.Owner.Name == "company-service1-blue");
        var green = manifests.Servers().Single(p => p.Owner.Name == "company-service1-green");

        Assert.NotEqual(blue.Spec.ToJsonString(), green.Spec.ToJsonString());
        Assert.Equal(Describe(AuthenticationEnv(blue)), Describe(AuthenticationEnv(green)));
        Assert.Equal("https://issuer.example.com", AuthenticationEnv(green)["Authentication__Issuer"].Text("value"));
    }

    [Theory]
    [InlineData("config.extra.Authentication__Disabled=true", "config.extra.Authentication__Disabled")]
    [InlineData("slots.green.config.extra.Authentication__Disabled=true", "slots.green.config.extra.Authentication__Disabled")]
    [InlineData("slots.blue.config.extra.authentication__authority=https://other.example.com", "slots.blue.config.extra.authentication__authority")]
    public void Authentication_settings_cannot_be_smuggled_in_through_a_slots_configuration(string setting, string named)
    {
        var result = Renderer.TryRender(["--set-string", setting]);

        Assert.False(result.Succeeded, "rendered with " + setting);
        Assert.Contains($"{named}: set authentication.* instead", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lookup_keeps_the_generated_key_across_upgrades()
    {
        using var cluster = new StubKubernetesApi();
        var installed = Assert.Single(cluster.RenderUpgrade().OfKind("Secret"));
        Assert.NotEqual(SecretData(installed), SecretData(Assert.Single(cluster.RenderUpgrade().OfKind("Secret"))));

        cluster.Put("v1", "secrets", ChartCase.Namespace, (JsonObject)installed.Body.DeepClone());
        var upgraded = cluster.RenderUpgrade("--set", "activeSlot=green", "--set", "slots.green.image.tag=1.6.0");

        Assert.Equal(SecretData(installed), SecretData(Assert.Single(upgraded.OfKind("Secret"))));
    }

    [Fact]
    public void A_token_minted_for_the_generated_key_carries_the_claims_the_pods_check_and_verifies_with_that_key()
    {
        var manifests = rendered["defaults"];
        var jwksFile = Path.Combine(_directory, "jwks.json");
        File.WriteAllText(jwksFile, Jwks(manifests).ToJsonString());
        var env = AuthenticationEnv(manifests.Servers().First());

        var result = Command.Run(Repository.Script("scripts/mint-token.sh"), [
            "--jwks", jwksFile, "--issuer", env["Authentication__Issuer"].Text("value")!, "--audience", env["Authentication__Audience"].Text("value")!,
            "--subject", "alice", "--scope", "todos:read", "--lifetime", "60"], TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.Describe());
        var parts = result.StandardOutput.Trim().Split('.');
        var key = Base64UrlDecode(Assert.Single(Jwks(manifests).Objects("keys")).Text("k")!);
        Assert.Equal(Base64UrlDecode(parts[2]), HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}")));
        var payload = JsonNode.Parse(Base64UrlDecode(parts[1]))!;
        Assert.Equal("company-service1", payload.Text("iss"));
        Assert.Equal("company-service1", payload.Text("aud"));
        Assert.Equal("alice", payload.Text("sub"));
    }
    //#if (istio)

    [Fact]
    public void The_sidecars_of_both_slots_check_tokens_from_the_identity_provider_and_forward_them()
    {
        var manifests = rendered["production"];
        var request = Assert.Single(manifests.OfKind("RequestAuthentication")).Body;
        var rule = Assert.Single(request.Objects("spec.jwtRules"));

        Assert.Equal("https://login.example.com/realms/company", rule.Text("issuer"));
        Assert.Equal(["company-service1"], rule["audiences"]!.AsArray().Select(a => a!.ToString()));
        Assert.Equal("true", rule.Text("forwardOriginalToken"));
        Assert.All(manifests.Servers(), pod => Assert.True(request.Labels("spec.selector.matchLabels").Selects(pod.Labels), $"{pod} is not selected"));
    }

    [Fact]
    public void The_mesh_refuses_requests_without_a_valid_token_on_every_path_but_the_probes_and_version()
    {
        var manifests = rendered["production"];
        var deny = manifests.Named("AuthorizationPolicy", "company-service1-require-jwt").Body;
        var rule = Assert.Single(deny.Objects("spec.rules"));
        var operation = Assert.Single(rule.Objects("to")).At("operation")!;

        Assert.Equal("DENY", deny.Text("spec.action"));
        Assert.Equal(["*"], Assert.Single(rule.Objects("from")).At("source.notRequestPrincipals")!.AsArray().Select(p => p!.ToString()));
        // The HTTP port only: the metrics port (9464) is never behind a token.
        Assert.Equal(["8080"], operation["ports"]!.AsArray().Select(p => p!.ToString()));
        Assert.Equal(["/healthz", "/livez", "/readyz", "/version"], operation["notPaths"]!.AsArray().Select(p => p!.ToString()).Order(StringComparer.Ordinal));
        Assert.Null(operation["paths"]);
        // Both slots, whichever is live: the x-slot preview of the idle one needs a token like the live one.
        Assert.All(manifests.Servers(), pod => Assert.True(deny.Labels("spec.selector.matchLabels").Selects(pod.Labels), $"{pod} is not selected"));
    }

    [Fact]
    public void Without_the_option_the_mesh_leaves_tokens_to_the_app()
    {
        Assert.Empty(rendered["defaults"].OfKind("RequestAuthentication"));
        Assert.Single(rendered["defaults"].OfKind("AuthorizationPolicy"));
    }

    [Theory]
    [InlineData("cannot check tokens of the chart's generated signing key: it is a shared HMAC secret", new string[0])]
    [InlineData("needs the public keys for the sidecars", new[] { "--set", "authentication.signingKeys.existingSecret=shop-keys" })]
    [InlineData("holds a symmetric (oct) key", new[] { "--set", "authentication.signingKeys.existingSecret=shop-keys",
        "--set-json", "istio.jwt.jwks=\"{\\\"keys\\\": [{\\\"kty\\\": \\\"oct\\\", \\\"k\\\": \\\"c2VjcmV0\\\"}]}\"" })]
    public void Mesh_token_checks_without_public_keys_are_refused_with_one_clear_line(string message, string[] settings)
    {
        var result = Renderer.TryRender(["--set", "istio.enabled=true", "--set", "istio.jwt.enabled=true", .. settings]);

        Assert.False(result.Succeeded, "rendered without keys the sidecars may hold");
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_keys_inline_let_the_sidecars_check_tokens_without_an_identity_provider()
    {
        const string Jwks = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

        var manifests = Renderer.Render(["--set", "istio.jwt.enabled=true", "--set", "authentication.signingKeys.existingSecret=shop-keys", "--set-json", "istio.jwt.jwks=" + JsonValue.Create(Jwks).ToJsonString()]);

        var rule = Assert.Single(Assert.Single(manifests.OfKind("RequestAuthentication")).Body.Objects("spec.jwtRules"));
        Assert.Equal(Jwks, rule.Text("jwks"));
        Assert.Equal("company-service1", rule.Text("issuer"));
        Assert.Null(rule["jwksUri"]);
    }
    //#endif

    private static Dictionary<string, JsonObject> AuthenticationEnv(PodTemplate pod) =>
        pod.Spec.Objects("containers").Single().Objects("env")
            .Where(e => e.Text("name")!.StartsWith("Authentication__", StringComparison.Ordinal))
            .ToDictionary(e => e.Text("name")!, e => e, StringComparer.Ordinal);

    private static string Describe(Dictionary<string, JsonObject> env) =>
        string.Join('\n', env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.ToJsonString()));

    private static string SecretData(Manifest secret) => secret.Body.Text("data.jwks")!;

    private static JsonNode Jwks(IEnumerable<Manifest> manifests)
    {
        var secret = manifests.Named("Secret", GeneratedSecret);
        Assert.Equal("Opaque", secret.Body.Text("type"));
        return JsonNode.Parse(Convert.FromBase64String(SecretData(secret)))!;
    }

    private static byte[] Base64UrlDecode(string text) => Convert.FromBase64String(
        text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));

    private static IEnumerable<JsonObject> Egress(IEnumerable<Manifest> manifests) =>
        manifests.Named("NetworkPolicy", "company-service1-allow-egress").Body.Objects("spec.egress");

    private static string Notes(params string[] settings)
    {
        var result = Tools.RunHelm(["install", ChartCase.Release, Repository.Chart, "--namespace", ChartCase.Namespace, "--dry-run=client", .. settings]);
        Assert.True(result.Succeeded, result.Describe());
        return result.StandardOutput[result.StandardOutput.IndexOf("NOTES:", StringComparison.Ordinal)..];
    }
}
