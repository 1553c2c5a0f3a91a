using System.Text.Json.Nodes;

namespace Charts.Tests.Infrastructure;

/// <summary>
/// The little of a Kubernetes API server that `helm template --dry-run=server` reads, on loopback: discovery of the
/// kinds the chart renders, an empty release history, and the live objects a test puts in (by name and as lists). That makes real helm
/// answer the chart's `lookup` calls, which plain `helm template` never does.
/// </summary>
public sealed class StubKubernetesApi : IDisposable
{
    private static readonly Dictionary<string, (string Resource, string Kind)[]> Kinds = new(StringComparer.Ordinal)
    {
        ["v1"] = [("secrets", "Secret"), ("services", "Service"), ("configmaps", "ConfigMap"), ("serviceaccounts", "ServiceAccount"), ("pods", "Pod")],
        ["apps/v1"] = [("deployments", "Deployment"), ("replicasets", "ReplicaSet")],
        ["batch/v1"] = [("jobs", "Job")],
        ["networking.k8s.io/v1"] = [("networkpolicies", "NetworkPolicy"), ("ingresses", "Ingress")],
        ["policy/v1"] = [("poddisruptionbudgets", "PodDisruptionBudget")],
        ["autoscaling/v2"] = [("horizontalpodautoscalers", "HorizontalPodAutoscaler")],
        ["argoproj.io/v1alpha1"] = [("rollouts", "Rollout"), ("analysistemplates", "AnalysisTemplate")],
    };

    private readonly LoopbackJsonServer _server;
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly string _directory = Directory.CreateTempSubdirectory("stub-kube-").FullName;

    public StubKubernetesApi()
    {
        _server = new LoopbackJsonServer("/", request => Task.FromResult(Respond(request.Url!.AbsolutePath)));
        Kubeconfig = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(Kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: stub
                cluster:
                  server: {{_server.Url.ToString().TrimEnd('/')}}
            users:
              - name: stub
                user: {}
            contexts:
              - name: stub
                context:
                  cluster: stub
                  user: stub
            current-context: stub
            """);
    }

    /// <summary>A kubeconfig that points at this server.</summary>
    public string Kubeconfig { get; }

    /// <summary>Makes a namespaced object of a served kind live, e.g. Put("apps/v1", "deployments", "apps", body).</summary>
    public void Put(string groupVersion, string resource, string ns, JsonObject body)
    {
        var prefix = groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";
        lock (_objects)
        {
            _objects[$"{prefix}/namespaces/{ns}/{resource}/{body["metadata"]!["name"]}"] = body;
        }
    }

    /// <summary>Removes a live object, as a controller's pruning or a deletion would.</summary>
    public void Delete(string groupVersion, string resource, string ns, string name)
    {
        var prefix = groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";
        lock (_objects)
        {
            _objects.Remove($"{prefix}/namespaces/{ns}/{resource}/{name}");
        }
    }

    /// <summary>
    /// `helm template --dry-run=server --is-upgrade` against this server: the render of an upgrade, lookups answered.
    /// </summary>
    public IReadOnlyList<Manifest> RenderUpgrade(params string[] arguments)
    {
        var result = Tools.RunHelm([
            "template", ChartCase.Release, Repository.Chart, "--namespace", ChartCase.Namespace,
            "--kubeconfig", Kubeconfig, "--dry-run=server", "--is-upgrade",
            // The stub serves no OpenAPI document; the strict schema tests validate every object instead.
            "--disable-openapi-validation", .. arguments]);
        return result.Succeeded
            ? Manifests.Parse(result.StandardOutput, "helm template --dry-run=server")
            : throw new InvalidOperationException("helm template --dry-run=server failed: " + result.Describe());
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private (int Status, JsonNode Body) Respond(string path) =>
        Answer(path) is { } body
            ? (200, body)
            : (404, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404 });

    private JsonObject? Answer(string path)
    {
        switch (path)
        {
            case "/version":
                return new JsonObject { ["major"] = "1", ["minor"] = "34", ["gitVersion"] = "v1.34.0" };
            case "/api":
                return new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") };
            case "/apis":
                return new JsonObject
                {
                    ["kind"] = "APIGroupList",
                    ["apiVersion"] = "v1",
                    ["groups"] = new JsonArray([.. Kinds.Keys.Where(gv => gv.Contains('/', StringComparison.Ordinal)).Select(Group)]),
                };
        }

        var groupVersion = path == "/api/v1" ? "v1" : path.StartsWith("/apis/", StringComparison.Ordinal) ? path[6..] : null;
        if (groupVersion is not null && Kinds.TryGetValue(groupVersion, out var kinds))
        {
            return new JsonObject
            {
                ["kind"] = "APIResourceList",
                ["groupVersion"] = groupVersion,
                ["resources"] = new JsonArray([.. kinds.Select(k => (JsonNode)new JsonObject
                {
                    ["name"] = k.Resource, ["singularName"] = "", ["namespaced"] = true, ["kind"] = k.Kind, ["verbs"] = new JsonArray("get", "list"),
                })]),
            };
        }

        // helm's release history lives in Secrets: none, so every render is of a release helm has not stored.
        if (path.EndsWith("/secrets", StringComparison.Ordinal))
        {
            return new JsonObject { ["kind"] = "SecretList", ["apiVersion"] = "v1", ["items"] = new JsonArray() };
        }

        lock (_objects)
        {
            if (_objects.TryGetValue(path, out var live))
            {
                return (JsonObject)live.DeepClone();
            }

            // A list (lookup with an empty name): every object put under the path, or nothing for a name it lacks.
            var items = _objects.Where(o => o.Key.StartsWith(path + "/", StringComparison.Ordinal)).Select(o => o.Value.DeepClone()).ToArray();
            var kind = Kinds.Values.SelectMany(k => k).FirstOrDefault(k => path.EndsWith("/" + k.Resource, StringComparison.Ordinal)).Kind;
            return kind is null ? null : new JsonObject { ["kind"] = kind + "List", ["apiVersion"] = ListGroupVersion(path), ["items"] = new JsonArray(items) };
        }
    }

    /// <summary>"/api/v1/namespaces/x/configmaps" -> "v1", "/apis/apps/v1/namespaces/x/replicasets" -> "apps/v1".</summary>
    private static string ListGroupVersion(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts[0] == "api" ? parts[1] : $"{parts[1]}/{parts[2]}";
    }

    private static JsonNode Group(string groupVersion)
    {
        var version = new JsonObject { ["groupVersion"] = groupVersion, ["version"] = groupVersion.Split('/')[1] };
        return new JsonObject
        {
            ["name"] = groupVersion.Split('/')[0],
            ["versions"] = new JsonArray(version),
            ["preferredVersion"] = version.DeepClone(),
        };
    }
}
