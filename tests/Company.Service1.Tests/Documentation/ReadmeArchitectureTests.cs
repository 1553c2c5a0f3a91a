using System.Text.RegularExpressions;

namespace Company.Service1.Tests.Documentation;

/// <summary>The README's architecture tree and request pipeline, checked against the source so they cannot drift.</summary>
public sealed partial class ReadmeArchitectureTests
{
    [Fact]
    public void The_architecture_tree_lists_every_folder_of_src()
    {
        var listed = TreeFolders();

        var missing = SourceFolders().Where(f => !listed.Contains(f)).ToList();

        Assert.True(missing.Count == 0,
            "README.md's architecture tree (## Architecture) has no line for: " + string.Join(", ", missing.Select(f => f + "/"))
            + ". Add each under its parent folder, indented two spaces deeper, with what it holds.");
    }

    [Fact]
    public void Every_src_folder_in_the_architecture_tree_exists()
    {
        if (!Readme.AllPartsPresent)
        {
            // A generated repository keeps the tree lines of the parts its options dropped (the sample, the database).
            return;
        }

        var existing = SourceFolders().ToHashSet(StringComparer.Ordinal);

        var stale = TreeFolders().Where(f => f.StartsWith("src/", StringComparison.Ordinal) && !existing.Contains(f)).ToList();

        Assert.True(stale.Count == 0,
            "README.md's architecture tree names folders that are not in src/: " + string.Join(", ", stale.Select(f => f + "/"))
            + ". Rename or remove those lines.");
    }

    [Fact]
    public void The_request_pipeline_lists_every_middleware_of_UseServiceDefaults_in_its_order()
    {
        var source = File.ReadAllText(Path.Combine(Readme.Root, "src", "Company.Service1", "Platform", "ServiceDefaults.cs"));
        var body = UseServiceDefaultsBody().Match(source);
        Assert.True(body.Success, "UseServiceDefaults(this WebApplication app) not found in Platform/ServiceDefaults.cs.");
        string[] inSource = [.. MiddlewareCall().Matches(body.Groups["body"].Value).Select(m => m.Groups["name"].Value)];

        string[] inReadme = [.. Readme.Section("Architecture")
            .SkipWhile(l => !l.StartsWith("Request pipeline", StringComparison.Ordinal))
            .Select(l => PipelineStep().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value)];

        Assert.True(inSource.SequenceEqual(inReadme),
            "README.md's request pipeline (## Architecture, 'Request pipeline', one numbered `UseX` line per step) must list "
            + "UseServiceDefaults' middleware in its order.\n  source: " + string.Join(" → ", inSource)
            + "\n  README: " + string.Join(" → ", inReadme)
            + Describe("missing from the README", inSource.Except(inReadme)) + Describe("not in the source", inReadme.Except(inSource)));
    }

    private static string Describe(string what, IEnumerable<string> names) =>
        names.Any() ? $"\n  {what}: {string.Join(", ", names)}" : "";

    /// <summary>Every folder under src/, relative to the repository root, without build output.</summary>
    private static IEnumerable<string> SourceFolders() =>
        Directory.EnumerateDirectories(Path.Combine(Readme.Root, "src"), "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(Readme.Root, d).Replace('\\', '/'))
            .Where(d => !d.Split('/').Any(part => part is "bin" or "obj" || part.StartsWith('.')))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The folders the tree names, as full paths: a line's entries (<c>Name/</c>, or several as <c>A/, B/</c>) sit
    /// inside the nearest line above that is indented less.
    /// </summary>
    private static HashSet<string> TreeFolders()
    {
        var section = Readme.Section("Architecture");
        var tree = section.SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal));
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var parents = new Stack<(int Indent, string Path)>();
        foreach (var line in tree)
        {
            var entry = TreeEntry().Match(line);
            if (!entry.Success)
            {
                continue;
            }

            var indent = entry.Groups["indent"].Length;
            while (parents.Count > 0 && parents.Peek().Indent >= indent)
            {
                parents.Pop();
            }

            var parent = parents.Count > 0 ? parents.Peek().Path + "/" : "";
            foreach (var name in entry.Groups["names"].Value.Split(", "))
            {
                var path = parent + name.TrimEnd('/');
                folders.Add(path);
                parents.Push((indent, path));
            }
        }

        return folders;
    }

    // "  Platform/   ..." or "    Telemetry/, Metrics/   ...": folder names end with '/', then two spaces or the line's end.
    [GeneratedRegex(@"^(?<indent> *)(?<names>[\w.\-]+(?:/[\w.\-]+)*/(?:, [\w.\-]+/)*)(?:  |$)")]
    private static partial Regex TreeEntry();

    [GeneratedRegex(@"UseServiceDefaults\(this WebApplication app\)\s*\{(?<body>.*?)\n    \}", RegexOptions.Singleline)]
    private static partial Regex UseServiceDefaultsBody();

    [GeneratedRegex(@"^\s*app\.(?<name>Use\w+)\(", RegexOptions.Multiline)]
    private static partial Regex MiddlewareCall();

    [GeneratedRegex(@"^\d+\. `(?<name>Use\w+)`")]
    private static partial Regex PipelineStep();
}
