using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

/// <summary>The GitHub workflows under .github/workflows and what they call.</summary>
public static partial class Workflows
{
    public static IReadOnlyList<string> Paths { get; } =
        [.. Repository.Files(".github/workflows/*.yml", ".github/workflows/*.yaml").Select(f => f.Path)];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var path in Paths)
        {
            data.Add(path);
        }

        return data;
    }

    public static YamlMappingNode Load(string path) => Yaml.ParseFile(path);

    public static IEnumerable<(string Job, YamlMappingNode Node)> Jobs(YamlMappingNode workflow) =>
        workflow.Map("jobs").Entries().Select(e => (e.Key, (YamlMappingNode)e.Value));

    public static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => job.Items("steps").OfType<YamlMappingNode>();

    /// <summary>Repository scripts (scripts/..., k8s/..., deploy/...) a `run:` block calls.</summary>
    public static IEnumerable<string> ScriptsCalledBy(string run) =>
        ScriptCall().Matches(run).Select(m => m.Groups["path"].Value);

    [GeneratedRegex(@"(?<![\w/.-])(?:\./)?(?<path>(?:scripts|k8s|deploy)/[\w./-]+\.(?:sh|ps1))")]
    private static partial Regex ScriptCall();
}
