namespace Company.Service1.Container.Tests;

/// <summary>
/// Shared by every test that runs a container: the JIT and AOT images, built once per run by
/// scripts/images/build.sh on the local base images (no registry answers here).
//#if (postgres)
/// The tests that need a database share one PostgreSQL cluster.
//#endif
/// The build is incremental: a run whose sources did not change reuses the cached layers.
/// </summary>
public sealed class ContainerFixture : IAsyncLifetime
{
    /// <summary>Stamped into the images by the build; the tests read them back from labels and /version.</summary>
    public const string Version = "1.2.3-container-test";

    public const string Revision = "0123456789abcdef0123456789abcdef01234567";

    private const string Repository = "company-service1-container-tests";
    private const string Tag = "test";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    //#if (postgres)
    private PostgresCluster? _postgres;

    public PostgresCluster Postgres => _postgres ?? throw new InvalidOperationException("The fixture is not initialized.");

    //#endif
    /// <summary>The image of a target: "jit" or "aot".</summary>
    public static string Image(string variant) => variant switch
    {
        "jit" => $"{Repository}:{Tag}",
        "aot" => $"{Repository}:{Tag}-aot",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "expected jit or aot"),
    };

    public async Task InitializeAsync()
    {
        var (info, output) = await Docker.RunAsync(["info", "--format", "{{.ServerVersion}}"]);
        if (info != 0)
        {
            throw new InvalidOperationException($"No Docker engine answers (run scripts/setup/docker.sh first):\n{output}");
        }

        //#if (postgres)
        var postgres = PostgresCluster.StartAsync();
        //#endif
        await BuildImagesAsync();
        //#if (postgres)
        _postgres = await postgres;
        //#endif
    }

    //#if (postgres)

    /// <summary>A new, empty database with the schema applied by the image's own `Company.Service1 migrate`.</summary>
    public async Task<string> MigratedDatabaseAsync(string variant)
    {
        var connectionString = await Postgres.CreateDatabaseAsync();
        var (exitCode, output) = await MigrateAsync(variant, connectionString);
        return exitCode == 0 ? connectionString : throw new InvalidOperationException($"Company.Service1 migrate exited {exitCode}:\n{output}");
    }

    /// <summary>Runs `Company.Service1 migrate` in a throwaway container with the hardened flags.</summary>
    public static Task<(int ExitCode, string Output)> MigrateAsync(string variant, string connectionString) =>
        Docker.RunAsync(["run", "--rm", .. HardenedRun.Flags, "-e", $"ConnectionStrings__Postgres={connectionString}", Image(variant), "migrate"]);

    //#endif
    public Task DisposeAsync() =>
        //#if (postgres)
        _postgres?.DisposeAsync().AsTask() ??
        //#endif
        Task.CompletedTask;

    private static async Task BuildImagesAsync()
    {
        var root = PublishedService.RepositoryRoot();
        var result = await ProcessRunner.RunAsync(Path.Combine(root, "scripts", "images", "build.sh"), ["all", "--local-bases"], BuildTimeout, root,
            new Dictionary<string, string>
            {
                ["IMAGE_REPOSITORY"] = Repository,
                ["IMAGE_TAG"] = Tag,
                ["VERSION"] = Version,
                ["REVISION"] = Revision,
            });
        if (!result.Succeeded)
        {
            var log = result.StandardError;
            throw new InvalidOperationException($"scripts/images/build.sh exited {result.ExitCode}:\n{log[Math.Max(0, log.Length - 8000)..]}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerTests : ICollectionFixture<ContainerFixture>
{
    public const string Name = "containers";
}
