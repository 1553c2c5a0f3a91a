using System.Data.Common;
using Company.Service1.Platform.Hosting;
using Npgsql;

namespace Company.Service1.Platform.Database;

public static partial class PostgresExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// Registers the PostgreSQL data source and the migrator when <c>ConnectionStrings:Postgres</c> is set.
    /// Returns false when it is not, so callers fall back to the embedded store.
    /// </summary>
    public static bool AddPostgres(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        var dataSourceBuilder = new NpgsqlSlimDataSourceBuilder(WithDefaults(connectionString))
        {
            // Npgsql labels its pool metrics with this name; its default is the connection string itself.
            Name = "postgres",
        };
        builder.Services.AddSingleton(_ => dataSourceBuilder.Build());
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrateOnStartupService>();
        return true;
    }

    /// <summary>
    /// Fills in timeouts the operator did not choose. Npgsql's 15 s connect timeout would hold API requests far
    /// longer than any client waits during an outage; 5 s still rides out a brief failover.
    /// </summary>
    internal static string WithDefaults(string connectionString)
    {
        DbConnectionStringBuilder given;
        NpgsqlConnectionStringBuilder result;
        try
        {
            given = new DbConnectionStringBuilder { ConnectionString = connectionString };
            result = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the offending keyword, never its value, so no secret leaks.
            throw new ConfigurationException($"ConnectionStrings:Postgres is malformed: {e.Message}");
        }

        if (!given.ContainsKey("Timeout"))
        {
            result.Timeout = 5;
        }

        if (!given.ContainsKey("Command Timeout"))
        {
            result.CommandTimeout = 10;
        }

        // The handful of statements the service runs are prepared on each physical connection after their
        // first use, so PostgreSQL stops parsing and planning them on every request.
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            result.MaxAutoPrepare = 20;
        }

        if (!given.ContainsKey("Application Name"))
        {
            result.ApplicationName = "company-service1";
        }

        return result.ConnectionString;
    }

    /// <summary>Where the store lives, for the startup log line: host and database, never the password.</summary>
    internal static string Describe(string connectionString)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{parsed.Host}:{parsed.Port}/{parsed.Database}";
    }
}
