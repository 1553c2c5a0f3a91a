using System.Data.Common;
using HealthChecks.NpgSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Trace;

namespace Company.Service1.Platform.Database;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// The service's PostgreSQL database: the data source, the migrator (and the <c>migrate</c> command that uses
    /// it), the readiness checks, tracing of its commands and the 503 answer during an outage. All of it only when
    /// <c>ConnectionStrings:Postgres</c> is set; without it nothing here is registered and features that need a
    /// store fall back to their embedded one (they look for an <see cref="NpgsqlDataSource"/>).
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<DatabaseOptions, DatabaseOptionsValidator>().BindConfiguration(DatabaseOptions.Section);
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return builder;
        }

        var dataSourceBuilder = new NpgsqlSlimDataSourceBuilder(WithDefaults(connectionString))
        {
            // Npgsql labels its pool metrics with this name; its default is the connection string itself.
            Name = "postgres",
        };
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => dataSourceBuilder.Build());
        services.AddSingleton<Migrator>();
        services.AddHostedService<DatabaseStartupService>();
        // After the platform's own handlers (client abort, bad request): they are asked first.
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql());

        services.AddHealthChecks()
            .Add(new HealthCheckRegistration("postgres",
                sp => TimeBound(sp, new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(sp.GetRequiredService<NpgsqlDataSource>()))),
                failureStatus: HealthStatus.Unhealthy, tags: [HealthTags.Ready]))
            .Add(new HealthCheckRegistration("schema",
                sp => TimeBound(sp, ActivatorUtilities.CreateInstance<SchemaHealthCheck>(sp)),
                failureStatus: HealthStatus.Unhealthy, tags: [HealthTags.Ready]));
        return builder;
    }

    private static TimeBoundHealthCheck TimeBound(IServiceProvider services, IHealthCheck check) =>
        new(check, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.HealthCheckTimeout, TimeProvider.System);

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

    /// <summary>Where the database is, for the startup log line: host, port and database, never the password.</summary>
    internal static string Describe(string connectionString)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{parsed.Host}:{parsed.Port}/{parsed.Database}";
    }
}
