namespace Charts.Tests.Infrastructure;

/// <summary>
/// Renders every matrix case once, loads the plain manifests of k8s/, and validates all of them strictly in one
/// compiler run (plus a deliberately misspelled manifest, which must fail). Shared by every test class.
/// </summary>
public sealed class RenderedSets
{
    public const string PlainManifests = "k8s";
    public const string MisspelledControl = "misspelled-control";

    public RenderedSets()
    {
        var sets = new Dictionary<string, IReadOnlyList<Manifest>>(StringComparer.Ordinal);
        foreach (var chartCase in ChartCase.All)
        {
            sets[chartCase.Name] = Renderer.Render(chartCase);
        }

        sets[PlainManifests] = PlainManifestFiles.SelectMany(Manifests.Load).ToList();
        Sets = sets;

        var toValidate = new Dictionary<string, IReadOnlyList<Manifest>>(sets, StringComparer.Ordinal)
        {
            [MisspelledControl] = Misspelled(sets["defaults"]),
        };
        ValidationErrors = StrictSchemas.Validate(toValidate);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<Manifest>> Sets { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ValidationErrors { get; }

    public IReadOnlyList<Manifest> this[string name] => Sets[name];

    /// <summary>Every YAML file directly in k8s/ (what `kubectl apply -f k8s/` applies).</summary>
    public static IEnumerable<string> PlainManifestFiles =>
        Directory.EnumerateFiles(Repository.PlainManifests, "*.yaml").Order(StringComparer.Ordinal);

    /// <summary>The default rendering's first Deployment with `readinessProbe` renamed to `readinesProbe`.</summary>
    private static List<Manifest> Misspelled(IReadOnlyList<Manifest> manifests)
    {
        var deployment = manifests.First(m => m.Kind == "Deployment");
        var body = (System.Text.Json.Nodes.JsonObject)deployment.Body.DeepClone();
        var container = (System.Text.Json.Nodes.JsonObject)body.At("spec.template.spec.containers")!.AsArray()[0]!;
        var probe = container["readinessProbe"]!;
        container.Remove("readinessProbe");
        container["readinesProbe"] = probe;
        return [new Manifest("misspelled copy of " + deployment.Source, body)];
    }
}

[CollectionDefinition(Name)]
public sealed class RenderedSetsGroup : ICollectionFixture<RenderedSets>
{
    public const string Name = "rendered chart and manifests";
}
