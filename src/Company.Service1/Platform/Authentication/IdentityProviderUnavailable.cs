using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;

namespace Company.Service1.Platform.Authentication;

/// <summary>
/// An authority whose metadata or keys cannot be fetched is an outage, not a bad token and not a bug: the bearer
/// handler would rethrow it as a 500, so it becomes a 503 with Retry-After, as a database outage does.
/// </summary>
public sealed partial class IdentityProviderUnavailable(IProblemDetailsService problems, ILogger<IdentityProviderUnavailable> logger) : IExceptionHandler
{
    // The bearer handler fetches again on the next request while it has no metadata: a short wait is honest.
    private const int RetryAfterSeconds = 5;

    /// <summary>
    /// The bearer handler reports a token it could not check for want of the authority's metadata as an invalid
    /// token (no issuer, no keys). So on any failure with an authority, the metadata is asked for once more, from the
    /// handler's own cache when it has it: if it cannot be had, the failure is the authority's, not the token's.
    /// </summary>
    public static async Task OnAuthenticationFailed(AuthenticationFailedContext context)
    {
        // No authority (keys in settings), or this very exception coming back through the handler's catch.
        if (context.Options.ConfigurationManager is not { } metadata || context.Exception is UnreachableAuthorityException)
        {
            return;
        }

        try
        {
            await metadata.GetConfigurationAsync(context.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new UnreachableAuthorityException(exception);
        }
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not UnreachableAuthorityException)
        {
            return false;
        }

        LogUnavailable(logger, exception.InnerException?.Message ?? exception.Message);
        return await Problems.WriteUnavailableAsync(problems, httpContext, exception, ProblemTypes.IdentityProviderUnavailable,
            "The identity provider is unavailable.",
            "The token could not be checked, so the request was not processed. Retry after the interval in Retry-After.", RetryAfterSeconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity provider unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    private sealed class UnreachableAuthorityException(Exception inner) : Exception("The authority's metadata could not be fetched.", inner);
}
