using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Database;

/// <summary>How the service uses PostgreSQL (the connection string itself is <c>ConnectionStrings:Postgres</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Upper bound for the readiness database check. At most one second so a hung database
    /// cannot hang the probe past Kubernetes' own probe timeout.
    /// </summary>
    [Range(50, 1000)]
    public int HealthCheckTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>Apply pending migrations at startup (handy locally; production runs <c>Company.Service1 migrate</c> as a Job).</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>The <c>Retry-After</c> seconds sent with 503 answers while the database is unreachable.</summary>
    [Range(1, 300)]
    public int RetryAfterSeconds { get; set; } = 5;

    public TimeSpan HealthCheckTimeout => TimeSpan.FromMilliseconds(HealthCheckTimeoutMilliseconds);
}

[OptionsValidator]
public sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
