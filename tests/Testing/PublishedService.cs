namespace Service.Testing;

/// <summary>
/// The service as users run it: the output of `dotnet publish`. scripts/test.sh publishes once and passes the folder
/// in SERVICE_PUBLISH_DIR; run alone, the first test that needs it publishes into a temp folder.
/// </summary>
public static class PublishedService
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? s_directory;

    public static async Task<string> ExecutableAsync()
    {
        var directory = await DirectoryAsync();
        var apphost = Path.Combine(directory, OperatingSystem.IsWindows() ? "Service.exe" : "Service");
        return File.Exists(apphost) ? apphost : throw new FileNotFoundException("The published service has no executable.", apphost);
    }

    public static async Task<string> DirectoryAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_directory is not null)
            {
                return s_directory;
            }

            var configured = Environment.GetEnvironmentVariable("SERVICE_PUBLISH_DIR");
            if (!string.IsNullOrEmpty(configured))
            {
                return s_directory = Path.GetFullPath(configured);
            }

            var output = Path.Combine(Path.GetTempPath(), $"service-publish-{Environment.ProcessId}");
            await ProcessRunner.RunCheckedAsync("dotnet", ["publish", Path.Combine(RepositoryRoot(), "src", "Service", "Service.csproj"),
                "-c", "Release", "-o", output, "--nologo"], TimeSpan.FromMinutes(5));
            return s_directory = output;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The folder holding Service.sln, found from the test binaries' location.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Service.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Service.sln not found above " + AppContext.BaseDirectory);
    }
}
