using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Charts.Tests.Infrastructure;

namespace Charts.Tests;

/// <summary>
/// Older content-named ConfigMaps stay in the release exactly as long as a retained ReplicaSet of their slot references
/// them: `kubectl rollout undo` finds the configuration it rolls back to, `helm rollback` finds every ConfigMap of the
/// earlier revision in the current manifest (helm/helm#8228 when it does not), and the rest are deleted. Each test
/// applies renders to a stub API server the way Helm and the Deployment controller would, then renders the next upgrade.
/// </summary>
public sealed class RetainedConfigMapTests : IDisposable
{
    private static readonly ChartCase BlueActive = ChartCase.Named("blue-active");
    private readonly StubKubernetesApi _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public void A_rollback_finds_every_ConfigMap_of_the_earlier_revision_in_the_current_one()
    {
        var first = Upgrade();
        Apply(first);

        var second = Upgrade("--set", "config.logLevel=Debug");

        var earlier = ConfigMaps(first);
        Assert.Equal(2, earlier.Count);
        Assert.All(earlier, old =>
        {
            // Rendered again from its live data, unchanged: the ReplicaSet that reads it gets what it was rolled out with.
            var again = Assert.Single(ConfigMaps(second), c => c.Name == old.Name);
            Assert.Equal(old.Body.Labels("data").OrderBy(d => d.Key, StringComparer.Ordinal), again.Body.Labels("data").OrderBy(d => d.Key, StringComparer.Ordinal));
            Assert.Equal("true", again.Body.Text("immutable"));
            Assert.Null(again.Body.At("metadata.annotations"));
        });
        Assert.Equal(4, ConfigMaps(second).Count);
    }

    [Fact]
    public void A_ConfigMap_leaves_the_release_with_the_last_ReplicaSet_that_references_it()
    {
        var first = Upgrade();
        Apply(first);
        Apply(Upgrade("--set", "config.logLevel=Debug"));
        // The Deployment controller pruned the first ReplicaSets (revisionHistoryLimit).
        foreach (var replicaSet in ReplicaSets(first))
        {
            _cluster.Delete("apps/v1", "replicasets", ChartCase.Namespace, replicaSet["metadata"]!["name"]!.ToString());
        }

        var third = Upgrade("--set", "config.logLevel=Debug");

        Assert.DoesNotContain(ConfigMaps(third), c => ConfigMaps(first).Any(f => f.Name == c.Name));
        Assert.Equal(2, ConfigMaps(third).Count);
    }

    [Fact]
    public void Another_owners_ReplicaSet_or_another_releases_ConfigMap_keeps_nothing()
    {
        var first = Upgrade();
        Apply(first);
        var blue = ConfigMaps(first).Single(c => c.Name.Contains("-blue-", StringComparison.Ordinal)).Name;
        var green = ConfigMaps(first).Single(c => c.Name.Contains("-green-", StringComparison.Ordinal)).Name;
        // blue's ReplicaSets now belong to some other Deployment; green's ConfigMap to some other release.
        foreach (var replicaSet in ReplicaSets(first).Where(r => r["metadata"]!["name"]!.ToString().Contains("-blue-", StringComparison.Ordinal)))
        {
            replicaSet["metadata"]!["ownerReferences"]![0]!["uid"] = "another-deployment";
            _cluster.Put("apps/v1", "replicasets", ChartCase.Namespace, replicaSet);
        }

        var configMap = LiveConfigMap(first, green);
        configMap["metadata"]!["annotations"]!["meta.helm.sh/release-name"] = "another-release";
        _cluster.Put("v1", "configmaps", ChartCase.Namespace, configMap);

        var second = Upgrade("--set", "config.logLevel=Debug");

        Assert.DoesNotContain(ConfigMaps(second), c => c.Name == blue || c.Name == green);
    }

    [Fact]
    public void Under_Argo_Rollouts_the_Rollouts_ReplicaSets_keep_theirs()
    {
        var argo = ChartCase.Named("argo-rollouts");
        var first = _cluster.RenderUpgrade([.. argo.ValuesArguments]);
        Apply(first);

        var second = _cluster.RenderUpgrade([.. argo.ValuesArguments, "--set", "config.logLevel=Debug"]);

        Assert.Contains(ConfigMaps(second), c => c.Name == Assert.Single(ConfigMaps(first)).Name);
        Assert.Equal(2, ConfigMaps(second).Count);
    }

    private IReadOnlyList<Manifest> Upgrade(params string[] arguments) =>
        _cluster.RenderUpgrade([.. BlueActive.ValuesArguments, .. arguments]);

    private static List<Manifest> ConfigMaps(IEnumerable<Manifest> manifests) =>
        [.. manifests.OfKind("ConfigMap").Where(c => c.Name.Contains("-config-", StringComparison.Ordinal))];

    /// <summary>
    /// What a release of these manifests leaves live: its ConfigMaps with Helm's ownership annotation, each server
    /// (one uid per name, as the object survives upgrades) and a ReplicaSet per pod template that server ran.
    /// </summary>
    private void Apply(IEnumerable<Manifest> manifests)
    {
        var list = manifests.ToList();
        foreach (var configMap in ConfigMaps(list))
        {
            _cluster.Put("v1", "configmaps", ChartCase.Namespace, LiveConfigMap(list, configMap.Name));
        }

        foreach (var server in list.Where(m => m.Kind is "Deployment" or "Rollout"))
        {
            var body = (JsonObject)server.Body.DeepClone();
            body["metadata"]!["uid"] = "uid-" + server.Name;
            _cluster.Put(server.Kind == "Rollout" ? "argoproj.io/v1alpha1" : "apps/v1", server.Kind == "Rollout" ? "rollouts" : "deployments", ChartCase.Namespace, body);
        }

        foreach (var replicaSet in ReplicaSets(list))
        {
            _cluster.Put("apps/v1", "replicasets", ChartCase.Namespace, replicaSet);
        }
    }

    private static JsonObject LiveConfigMap(IEnumerable<Manifest> manifests, string configMap)
    {
        var body = (JsonObject)manifests.Named("ConfigMap", configMap).Body.DeepClone();
        body["metadata"]!["annotations"] = new JsonObject
        {
            ["meta.helm.sh/release-name"] = ChartCase.Release,
            ["meta.helm.sh/release-namespace"] = ChartCase.Namespace,
        };
        return body;
    }

    /// <summary>The ReplicaSet the controller makes of each server's pod template, named by a hash of it.</summary>
    private static IEnumerable<JsonObject> ReplicaSets(IEnumerable<Manifest> manifests) =>
        manifests.Where(m => m.Kind is "Deployment" or "Rollout").Select(server =>
        {
            var template = server.Body.At("spec.template")!;
            return new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{server.Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString())))[..10]}",
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = server.ApiVersion,
                        ["kind"] = server.Kind,
                        ["name"] = server.Name,
                        ["uid"] = "uid-" + server.Name,
                        ["controller"] = true,
                    }),
                },
                ["spec"] = new JsonObject { ["template"] = template.DeepClone() },
            };
        });
}
