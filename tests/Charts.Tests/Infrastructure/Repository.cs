namespace Charts.Tests.Infrastructure;

/// <summary>Paths inside the repository, found from the test binary's folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "charts", "company-service1");

    public static string PlainManifests => Path.Combine(Root, "k8s");

    public static string Cases => Path.Combine(Root, "tests", "Charts.Tests", "cases");

    public static string SchemaWorkspace => Path.Combine(Root, "tests", "Charts.Tests", "schema");

    public static string Script(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Company.Service1.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Company.Service1.sln above {AppContext.BaseDirectory}");
    }
}
