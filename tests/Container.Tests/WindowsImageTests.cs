using System.Text.Json;
using System.Text.RegularExpressions;

namespace Company.Service1.Container.Tests;

/// <summary>
/// Dockerfile.windows cannot be built here (no Windows engine; the GitHub workflow builds it on a Windows
/// runner). These tests check what can be checked on Linux: the file parses, its bases are build arguments,
/// it matches the Linux image's user model, port, entrypoint and health probe, and the publish it runs works.
/// </summary>
public sealed partial class WindowsImageTests
{
    private static readonly string Root = PublishedService.RepositoryRoot();
    private static readonly Dockerfile Windows = Dockerfile.Load(Path.Combine(Root, "Dockerfile.windows"));
    private static readonly Dockerfile Linux = Dockerfile.Load(Path.Combine(Root, "Dockerfile"));

    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("Dockerfile.windows")]
    public void The_dockerfile_parses_and_its_FROM_lines_use_only_declared_global_args(string file)
    {
        var dockerfile = Dockerfile.Load(Path.Combine(Root, file));

        Assert.NotEmpty(dockerfile.Stages);
        Assert.All(dockerfile.Stages, stage => Assert.Matches(@"^\$\{[A-Z_]+\}$|^[a-z][a-z0-9-]*$", stage.BaseImage));
    }

    [Fact]
    public void The_windows_image_builds_on_nanoserver_images_given_as_build_args()
    {
        Assert.Equal('`', Windows.Escape);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-", Windows.GlobalArgDefault("SDK_IMAGE"), StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-", Windows.GlobalArgDefault("ASPNET_IMAGE"), StringComparison.Ordinal);
        Assert.Equal("${SDK_IMAGE}", Windows.Stage("build").BaseImage);
        Assert.Equal("${ASPNET_IMAGE}", Windows.Stages[^1].BaseImage);
    }

    [Fact]
    public void The_windows_image_runs_as_the_unprivileged_ContainerUser()
    {
        Assert.Equal("ContainerUser", Windows.Stages[^1].Last("USER").Arguments);
    }

    [Fact]
    public void The_windows_image_has_the_linux_images_port_entrypoint_and_health_probe()
    {
        var windows = Windows.Stages[^1];
        var linux = Linux.Stage("jit");

        Assert.Equal(linux.Last("EXPOSE").Arguments, windows.Last("EXPOSE").Arguments);
        Assert.Equal(linux.Last("WORKDIR").Arguments, windows.Last("WORKDIR").Arguments);
        Assert.Equal(Portable(Exec(linux.Last("ENTRYPOINT").Arguments)), Portable(Exec(windows.Last("ENTRYPOINT").Arguments)));
        Assert.Equal(HealthcheckOptions(linux.Last("HEALTHCHECK").Arguments), HealthcheckOptions(windows.Last("HEALTHCHECK").Arguments));
        Assert.Equal(Portable(HealthcheckCommand(linux.Last("HEALTHCHECK").Arguments)), Portable(HealthcheckCommand(windows.Last("HEALTHCHECK").Arguments)));
    }

    [Fact]
    public async Task The_win_x64_publish_the_windows_image_copies_succeeds()
    {
        // The restore and publish commands exactly as Dockerfile.windows runs them, on a copy of the build context.
        var commands = Windows.Stage("build").All("RUN").Select(run => run.Arguments).ToList();
        Assert.Equal(2, commands.Count);
        var context = CopyBuildContext();
        var output = Path.Combine(context, "app");
        try
        {
            foreach (var command in commands)
            {
                var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(word => CmdVariable().Replace(word, m => Windows.Stage("build").All("ARG")
                        .Select(a => a.Arguments.Split('=', 2)).Single(a => a[0] == m.Groups[1].Value)[1]))
                    .Select(word => word == "/app" ? output : word)
                    .ToList();
                Assert.Equal("dotnet", words[0]);
                await ProcessRunner.RunCheckedAsync("dotnet", words.Skip(1), TimeSpan.FromMinutes(5), context);
            }

            var exe = await File.ReadAllBytesAsync(Path.Combine(output, "Company.Service1.exe"));
            Assert.Equal("MZ"u8.ToArray(), exe[..2]); // a Windows executable
            Assert.True(File.Exists(Path.Combine(output, "Company.Service1.dll")));
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static string ToLinuxPath(string path) => path.Replace('\\', '/');

    /// <summary>An exec-form command with the Windows path and .exe suffix mapped to their Linux spelling.</summary>
    private static List<string> Portable(List<string> command) =>
        [.. command.Select(word => Regex.Replace(ToLinuxPath(word), "^C:/", "/", RegexOptions.IgnoreCase)).Select(word => word.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? word[..^4] : word)];

    private static List<string> Exec(string arguments)
    {
        Assert.StartsWith("[", arguments, StringComparison.Ordinal); // exec form: no shell in either image
        return [.. JsonDocument.Parse(arguments).RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string HealthcheckOptions(string arguments) => arguments[..arguments.IndexOf(" CMD ", StringComparison.Ordinal)];

    private static List<string> HealthcheckCommand(string arguments) => Exec(arguments[(arguments.IndexOf(" CMD ", StringComparison.Ordinal) + 5)..]);

    /// <summary>The files the Dockerfile's COPY lines take from the context, in a temp folder.</summary>
    private static string CopyBuildContext()
    {
        var context = Path.Combine(Path.GetTempPath(), $"windows-context-{Guid.NewGuid():N}");
        Directory.CreateDirectory(context);
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(Path.Combine(Root, file), Path.Combine(context, file));
        }

        var source = Path.Combine(Root, "src");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(context, "src", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return context;
    }

    [GeneratedRegex("%([A-Z_]+)%")]
    private static partial Regex CmdVariable();
}
