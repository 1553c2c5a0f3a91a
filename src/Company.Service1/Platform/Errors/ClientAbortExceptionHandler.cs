using Microsoft.AspNetCore.Diagnostics;

namespace Company.Service1.Platform.Errors;

/// <summary>A client that hangs up mid-request is not a server error: no 500, no error log, nothing to write back.</summary>
public sealed class ClientAbortExceptionHandler : IExceptionHandler
{
    /// <summary>Not in RFC 9110; the de facto code (nginx's) for "client closed request", seen only in logs and metrics.</summary>
    public const int ClientClosedRequest = 499;

    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            httpContext.Response.StatusCode = ClientClosedRequest;
            return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(false);
    }
}
