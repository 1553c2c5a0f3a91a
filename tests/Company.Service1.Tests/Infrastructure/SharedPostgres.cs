namespace Company.Service1.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL cluster for the whole test run; every test class takes its own database from it, so classes
/// run in parallel without seeing each other's rows. Tests that stop the server start a cluster of their own.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresCluster>> Cluster = new(StartAsync);

    public static Task<PostgresCluster> GetAsync() => Cluster.Value;

    /// <summary>A fresh, empty database on the shared cluster.</summary>
    public static async Task<string> CreateDatabaseAsync() => await (await GetAsync()).CreateDatabaseAsync();

    private static async Task<PostgresCluster> StartAsync()
    {
        var cluster = await PostgresCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }
}
