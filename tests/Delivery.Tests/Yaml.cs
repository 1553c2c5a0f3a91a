using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

/// <summary>Small read-only helpers over YamlDotNet's representation model.</summary>
public static class Yaml
{
    public static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlMappingNode ParseFile(string relative) => Parse(Repository.Read(relative));

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new KeyNotFoundException($"no mapping '{key}' at {node.Start}");

    public static string? Text(this YamlNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, string key) =>
        node.Get(key) is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)) : [];
}
