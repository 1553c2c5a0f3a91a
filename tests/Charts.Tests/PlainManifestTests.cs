using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>k8s/: the same rollout for users without Helm, plus the cluster-side encryption example.</summary>
[Collection(RenderedSetsGroup.Name)]
public sealed partial class PlainManifestTests(RenderedSets rendered) : IDisposable
{
    private static readonly string[] HandWritten = ["namespace.yaml"];
    private readonly string _directory = Directory.CreateTempSubdirectory("k8s-render-").FullName;

    [Fact]
    public void Plain_manifests_are_exactly_what_the_chart_renders_from_k8s_source_values()
    {
        var result = Command.Run(Repository.Script("scripts/render-k8s-manifests.sh"), [_directory], TimeSpan.FromMinutes(2));
        Assert.True(result.Succeeded, result.Describe());

        var expected = Directory.EnumerateFiles(_directory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var committed = RenderedSets.PlainManifestFiles.Select(Path.GetFileName).Except(HandWritten).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, committed);
        foreach (var file in expected)
        {
            Assert.True(
                WithoutConfigHash(File.ReadAllText(Path.Combine(_directory, file!))) == WithoutConfigHash(File.ReadAllText(Path.Combine(Repository.PlainManifests, file!))),
                $"k8s/{file} differs from the chart: run scripts/render-k8s-manifests.sh and commit the result");
        }
    }

    [Fact]
    public void Every_plain_manifest_refers_to_a_ConfigMap_k8s_ships_and_each_slot_to_its_own()
    {
        var manifests = rendered[RenderedSets.PlainManifests];
        var shipped = manifests.OfKind("ConfigMap").Select(c => c.Name).Where(n => ConfigMapName().IsMatch(n)).ToHashSet(StringComparer.Ordinal);
        var referenced = RenderedSets.PlainManifestFiles
            .SelectMany(file => ConfigMapName().Matches(File.ReadAllText(file)).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(shipped.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
        foreach (var slot in new[] { "blue", "green" })
        {
            var server = manifests.Servers().Single(s => s.Owner.Name == $"company-service1-{slot}");
            var name = server.Spec.Objects("containers").Single().Objects("envFrom").Single().Text("configMapRef.name");
            Assert.StartsWith($"company-service1-{slot}-config-", name, StringComparison.Ordinal);
        }
    }

    // The ConfigMap name ends in a hash of its data, and that data holds the service name (OTEL_SERVICE_NAME) and the
    // keys of the template options. `dotnet new` renames and trims k8s/ as text without re-rendering, so a generated
    // service's committed name carries the template's hash until its next render. The hash only has to change when
    // the data changes (so that pods roll), and the data is compared in full, line by line: the comparison leaves out
    // those ten characters only, and the test above checks that every reference in k8s/ names the ConfigMap it ships.
    private static string WithoutConfigHash(string manifest) => ConfigMapName().Replace(manifest, m => m.Groups["base"].Value + "<hash>");

    [System.Text.RegularExpressions.GeneratedRegex("(?<base>[a-z0-9-]+-config-)[0-9a-f]{10}\\b")]
    private static partial System.Text.RegularExpressions.Regex ConfigMapName();

    [Fact]
    public void Plain_manifests_cover_the_whole_blue_green_rollout()
    {
        var ids = rendered[RenderedSets.PlainManifests].Select(m => m.Id).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "Namespace/company-service1", "Deployment/company-service1-blue", "Deployment/company-service1-green", "Service/company-service1",
//#if (istio)
                "DestinationRule/company-service1", "VirtualService/company-service1", "PeerAuthentication/company-service1", "AuthorizationPolicy/company-service1",
//#endif
                "NetworkPolicy/company-service1-default-deny", "PodDisruptionBudget/company-service1-blue", "PodDisruptionBudget/company-service1-green",
//#if (postgres)
                "Job/company-service1-migrate",
//#endif
            },
            ids);
        Assert.Single(rendered[RenderedSets.PlainManifests].OfKind("ConfigMap"), c => c.Name.StartsWith("company-service1-blue-config-", StringComparison.Ordinal));
        Assert.Single(rendered[RenderedSets.PlainManifests].OfKind("ConfigMap"), c => c.Name.StartsWith("company-service1-green-config-", StringComparison.Ordinal));
        Assert.DoesNotContain(rendered[RenderedSets.PlainManifests], m => m.Body.ToJsonString().Contains("\"Helm\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_namespace_enforces_the_restricted_pod_security_profile()
    {
        var labels = rendered[RenderedSets.PlainManifests].Named("Namespace", "company-service1").Body.Labels("metadata.labels");

        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
    }
    //#if (istio)

    [Fact]
    public void The_namespace_injects_sidecars()
    {
        var labels = rendered[RenderedSets.PlainManifests].Named("Namespace", "company-service1").Body.Labels("metadata.labels");

        Assert.Equal("enabled", labels["istio-injection"]);
    }
    //#endif

    [Fact]
    public void The_encryption_example_encrypts_Secrets_first_and_ships_no_usable_key()
    {
        var config = Assert.Single(Manifests.Load(Path.Combine(Repository.PlainManifests, "cluster", "encryption-config.yaml"))).Body;
        var resource = Assert.Single(config.Objects("resources"));
        var providers = resource.Objects("providers").ToList();

        Assert.Equal("apiserver.config.k8s.io/v1", config.Text("apiVersion"));
        Assert.Equal("EncryptionConfiguration", config.Text("kind"));
        Assert.Equal(["secrets"], resource["resources"]!.AsArray().Select(r => r!.ToString()));
        Assert.Contains(providers[0].Select(p => p.Key).Single(), new[] { "secretbox", "aescbc", "aesgcm", "kms" });
        Assert.Equal("identity", providers[^1].Select(p => p.Key).Single());
        var key = providers[0].Objects("secretbox.keys").Single().Text("secret")!;
        Assert.False(IsBase64(key), "the example must not carry a usable key");
    }

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
