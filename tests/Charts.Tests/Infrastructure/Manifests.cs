using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Charts.Tests.Infrastructure;

/// <summary>One Kubernetes object, as JSON, with the file or template it came from.</summary>
public sealed record Manifest(string Source, JsonObject Body)
{
    public string ApiVersion => Body["apiVersion"]?.GetValue<string>() ?? "";

    public string Kind => Body["kind"]?.GetValue<string>() ?? "";

    public string Name => Body["metadata"]?["name"]?.GetValue<string>() ?? "";

    public string Id => $"{Kind}/{Name}";

    public override string ToString() => $"{Id} ({Source})";
}

/// <summary>Parses multi-document YAML (helm's output, manifest files) into JSON objects.</summary>
public static class Manifests
{
    public static IReadOnlyList<Manifest> Parse(string yaml, string defaultSource)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var sources = SourceComments(yaml);
        var result = new List<Manifest>();
        var index = 0;
        foreach (var document in stream.Documents)
        {
            var source = index < sources.Count && sources[index] is { } s ? s : defaultSource;
            index++;
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (ToJson(document.RootNode) is JsonObject body)
            {
                result.Add(new Manifest(source, body));
            }
        }

        return result;
    }

    public static IReadOnlyList<Manifest> Load(string path) =>
        Parse(File.ReadAllText(path), Path.GetRelativePath(Repository.Root, path));

    /// <summary>helm's "# Source: chart/templates/x.yaml" line of each document, in document order.</summary>
    private static List<string?> SourceComments(string yaml)
    {
        var sources = new List<string?>();
        foreach (var chunk in ("\n" + yaml).Split("\n---"))
        {
            var line = chunk.Split('\n').FirstOrDefault(l => l.StartsWith("# Source: ", StringComparison.Ordinal));
            if (chunk.Split('\n').Any(l => l.Length > 0 && !l.StartsWith('#')))
            {
                sources.Add(line?["# Source: ".Length..]);
            }
        }

        return sources;
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"Unsupported YAML node {node.NodeType}"),
    };

    /// <summary>YAML 1.2 core schema typing of a scalar: quoted scalars are strings, plain ones may be numbers.</summary>
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && text.Any(char.IsDigit) && !text.Contains(':', StringComparison.Ordinal))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
