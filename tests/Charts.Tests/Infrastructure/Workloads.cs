using System.Text.Json.Nodes;

namespace Charts.Tests.Infrastructure;

/// <summary>A pod template found in a workload (Deployment, Rollout, Job) or a bare Pod.</summary>
public sealed record PodTemplate(Manifest Owner, JsonObject Metadata, JsonObject Spec)
{
    public IReadOnlyDictionary<string, string> Labels => Metadata.Labels("labels");

    public bool IsServer => Owner.Kind is "Deployment" or "Rollout";

    public bool IsWindows => Spec.Text("os.name") == "windows";

    public IEnumerable<JsonObject> AllContainers => Spec.Objects("containers").Concat(Spec.Objects("initContainers"));

    public IEnumerable<string> PortNames =>
        Spec.Objects("containers").SelectMany(c => c.Objects("ports")).Select(p => p.Text("name") ?? "");

    public override string ToString() => Owner.ToString();
}

/// <summary>Finders over a rendered set of manifests.</summary>
public static class Workloads
{
    public static IEnumerable<Manifest> OfKind(this IEnumerable<Manifest> manifests, string kind) =>
        manifests.Where(m => m.Kind == kind);

    public static IEnumerable<PodTemplate> Pods(this IEnumerable<Manifest> manifests)
    {
        foreach (var m in manifests)
        {
            switch (m.Kind)
            {
                case "Deployment" or "Rollout" or "Job":
                    yield return new PodTemplate(m, (JsonObject)m.Body.At("spec.template.metadata")!, (JsonObject)m.Body.At("spec.template.spec")!);
                    break;
                case "Pod":
                    yield return new PodTemplate(m, (JsonObject)m.Body["metadata"]!, (JsonObject)m.Body["spec"]!);
                    break;
            }
        }
    }

    public static IEnumerable<PodTemplate> Servers(this IEnumerable<Manifest> manifests) =>
        manifests.Pods().Where(p => p.IsServer);

    public static Manifest Named(this IEnumerable<Manifest> manifests, string kind, string name) =>
        manifests.First(m => m.Kind == kind && m.Name == name);
}
