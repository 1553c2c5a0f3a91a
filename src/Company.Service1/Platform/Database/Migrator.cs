using Npgsql;

namespace Company.Service1.Platform.Database;

/// <summary>Applies the embedded migrations in order and tells how far the database is behind.</summary>
/// <remarks>
/// Kept rather than DbUp (dbup-postgresql 7.0.1), which publishes Native AOT without a warning and works, but takes no
/// lock: tried here, two concurrent runs against a fresh database went wrong in 7 pairs of 10 (in 6 one run failed
/// creating its journal table, in 1 the script was applied twice). Two Jobs, or a Job and MigrateOnStartup, do run
/// at once. When a served migration library serialises its runs across instances, use it instead of this class and
/// <see cref="Migration"/>.
/// </remarks>
public sealed partial class Migrator(NpgsqlDataSource dataSource, TimeProvider time, ILogger<Migrator> logger)
{
    // Serialises concurrent `Company.Service1 migrate` runs (two Jobs, or a Job and MigrateOnStartup) across instances.
    private const long AdvisoryLockKey = 0x5E_51_CE_00_D8_00_01;

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL
        )
        """;

    /// <summary>The highest applied version, 0 for an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM schema_migrations");
        try
        {
            return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>Applies every pending migration, each in its own transaction; returns how many ran.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, CreateHistoryTable, cancellationToken);
            var current = await CurrentVersionAsync(cancellationToken);
            var applied = 0;
            foreach (var migration in Migration.All.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, migration.Sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", connection))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                    record.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(migration.Version, migration.Name);
                applied++;
            }

            LogUpToDate(Migration.LatestVersion, applied);
            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {MigrationVersion} ({MigrationName})")]
    private partial void LogApplied(int migrationVersion, string migrationName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is at version {SchemaVersion} ({AppliedCount} migrations applied now)")]
    private partial void LogUpToDate(int schemaVersion, int appliedCount);
}
