using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Company.Service1.Platform.Database;

/// <summary>
/// A database outage is not the client's fault and not a bug: answer 503 with Retry-After so clients and
/// meshes back off, and log one line (the Npgsql message names host and port, never the password).
/// </summary>
public sealed partial class DatabaseUnavailableExceptionHandler(
    IProblemDetailsService problems, IOptions<DatabaseOptions> options, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (NpgsqlException or TimeoutException))
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        return await Problems.WriteUnavailableAsync(problems, httpContext, exception, ProblemTypes.DatabaseUnavailable,
            "The database is unavailable.", "The request was not processed. Retry after the interval in Retry-After.", options.Value.RetryAfterSeconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable during {Method} {Path}: {ErrorType}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string errorType, string reason);
}
