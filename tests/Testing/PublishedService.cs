namespace Company.Service1.Testing;

/// <summary>
/// The service as users run it: the output of `dotnet publish`. scripts/test.sh publishes once and passes the folder
/// in SERVICE_PUBLISH_DIR; run alone, the first test that needs it publishes into a temp folder.
/// </summary>
public static class PublishedService
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, string> Directories = [];

    /// <summary>The framework-dependent (JIT) build: SERVICE_PUBLISH_DIR, else published on first use.</summary>
    public static Task<string> ExecutableAsync() => ExecutableAsync("SERVICE_PUBLISH_DIR", []);

    /// <summary>The folder of the framework-dependent (JIT) build.</summary>
    public static Task<string> DirectoryAsync() => DirectoryAsync("SERVICE_PUBLISH_DIR", []);

    /// <summary>The Native AOT build: SERVICE_AOT_PUBLISH_DIR, else published (slowly) on first use.</summary>
    public static Task<string> AotExecutableAsync() => ExecutableAsync("SERVICE_AOT_PUBLISH_DIR", ["-p:PublishAot=true", "-r", "linux-x64"]);

    private static async Task<string> ExecutableAsync(string variable, string[] publishArguments)
    {
        var directory = await DirectoryAsync(variable, publishArguments);
        var apphost = Path.Combine(directory, OperatingSystem.IsWindows() ? "Company.Service1.exe" : "Company.Service1");
        return File.Exists(apphost) ? apphost : throw new FileNotFoundException("The published service has no executable.", apphost);
    }

    private static async Task<string> DirectoryAsync(string variable, string[] publishArguments)
    {
        await Gate.WaitAsync();
        try
        {
            if (Directories.TryGetValue(variable, out var known))
            {
                return known;
            }

            var configured = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(configured))
            {
                return Directories[variable] = Path.GetFullPath(configured);
            }

            var output = Path.Combine(Path.GetTempPath(), $"company-service1-publish-{variable.ToLowerInvariant()}-{Environment.ProcessId}");
            await ProcessRunner.RunCheckedAsync("dotnet", ["publish", Path.Combine(RepositoryRoot(), "src", "Company.Service1", "Company.Service1.csproj"),
                "-c", "Release", "-o", output, "--nologo", .. publishArguments], TimeSpan.FromMinutes(10));
            return Directories[variable] = output;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The folder holding Company.Service1.sln, found from the test binaries' location.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Company.Service1.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Company.Service1.sln not found above " + AppContext.BaseDirectory);
    }
}
