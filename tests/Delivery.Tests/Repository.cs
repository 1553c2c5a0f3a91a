namespace Delivery.Tests;

/// <summary>The repository under test: its root folder and its committed files.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Files git tracks (or would add: untracked but not ignored) matching the pathspecs, with their git mode.</summary>
    public static IReadOnlyList<(string Path, string Mode)> Files(params string[] pathspecs)
    {
        var tracked = Git(["ls-files", "--stage", "--", .. pathspecs])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Path: line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..], Mode: line[..6]));
        var untracked = Git(["ls-files", "--others", "--exclude-standard", "--", .. pathspecs])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(path => (Path: path, Mode: IsExecutable(PathOf(path)) ? "100755" : "100644"));
        return [.. tracked.Concat(untracked).Where(f => File.Exists(PathOf(f.Path))).OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute);

    private static string Git(string[] arguments) =>
        ProcessRunner.RunCheckedAsync("git", arguments, TimeSpan.FromSeconds(30), Root).GetAwaiter().GetResult();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Company.Service1.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Company.Service1.sln not found above " + AppContext.BaseDirectory);
    }
}
