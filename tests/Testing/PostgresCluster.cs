using Npgsql;

namespace Company.Service1.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster on 127.0.0.1 and a free port, from the machine's own server binaries
/// (scripts/setup/postgres.sh installs them). initdb refuses to run as root, so as root every command runs as
/// the `postgres` user. Password authentication is on, so tests can check the password never leaks.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string User = "postgres";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string _bin;
    private readonly string _root;

    private PostgresCluster(string bin, string root, int port, string password)
    {
        _bin = bin;
        _root = root;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Connection string for the maintenance database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database={database};Pooling=true";

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), $"pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var password = $"pw-{Guid.NewGuid():N}";
        var passwordFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password);
        if (IsRoot)
        {
            await ProcessRunner.RunCheckedAsync("chown", ["-R", "postgres:postgres", root], CommandTimeout);
        }

        var cluster = new PostgresCluster(bin, root, FreePort.Next(), password);
        await cluster.RunAsPostgresAsync("initdb", ["-D", cluster.DataDirectory, "-U", User, "--auth-local=trust",
            "--auth-host=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-sync"]);
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Starts (or restarts after <see cref="StopAsync"/>) the server on the same port and data.</summary>
    public Task StartAgainAsync() => RunAsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        "start"]);

    /// <summary>
    /// Stops the server, dropping every connection: what a database outage looks like to the service. "fast"
    /// rather than "immediate" so commits already acknowledged survive (the cluster runs without synchronous commit).
    /// </summary>
    public Task StopAsync() => RunAsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"]);

    /// <summary>Creates an empty database and returns its connection string (one per test class keeps tests independent).</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"db_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task<string> RunAsPostgresAsync(string tool, string[] arguments)
    {
        var executable = Path.Combine(_bin, tool);
        return IsRoot
            ? ProcessRunner.RunCheckedAsync("runuser", ["-u", "postgres", "--", executable, .. arguments], CommandTimeout, _root)
            : ProcessRunner.RunCheckedAsync(executable, arguments, CommandTimeout, _root);
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
            : [];
        return candidates.OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found: run scripts/setup/postgres.sh or set PG_BIN.");
    }
}
