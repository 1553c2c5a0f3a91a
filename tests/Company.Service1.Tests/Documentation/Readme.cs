namespace Company.Service1.Tests.Documentation;

/// <summary>The repository's README.md, read from disk, and the parts of it that tests compare with the source.</summary>
public static class Readme
{
    public static string Root { get; } = PublishedService.RepositoryRoot();

    public static string Text { get; } = File.ReadAllText(Path.Combine(Root, "README.md"));

    /// <summary>
    /// True in the template's own repository, where every optional part (the sample, the database, Windows) is
    /// present. A generated repository drops the parts its options turned off, and the README keeps their lines.
    /// </summary>
    public static bool AllPartsPresent { get; } = File.Exists(Path.Combine(Root, ".template.config", "template.json"));

    /// <summary>The lines under the level-two heading <paramref name="heading"/>, up to the next one.</summary>
    public static IReadOnlyList<string> Section(string heading)
    {
        var lines = Text.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "## " + heading);
        Assert.True(start >= 0, $"README.md has no '## {heading}' section.");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[(start + 1)..(end < 0 ? lines.Length : end)];
    }

    /// <summary>The rows of the first table in <paramref name="section"/>, each as its cells, the header excluded.</summary>
    public static IReadOnlyList<string[]> TableRows(IReadOnlyList<string> section) =>
        [.. section.SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2)
            .Select(l => l.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())];
}
