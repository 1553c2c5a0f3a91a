using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Company.Service1.Platform.Errors;

/// <summary>Problem-details results for the mistakes handlers detect themselves.</summary>
public static class Problems
{
    /// <summary>A well-formed body whose values break the rules (422), keyed by field.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Type = ProblemTypes.ValidationFailed,
            Title = "The request has invalid values.",
            Detail = "See errors for each field that was rejected.",
        });

    /// <summary>A request the server cannot parse or a parameter out of range (400), naming the parameter.</summary>
    public static ProblemHttpResult BadParameter(string name, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.MalformedRequest,
            Title = "The request is malformed.",
            Detail = message,
        });

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "The resource does not exist.", detail);

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        Problem(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "The resource has changed.", detail);

    public static ProblemHttpResult PreconditionRequired(string detail) =>
        Problem(StatusCodes.Status428PreconditionRequired, ProblemTypes.PreconditionRequired, "A precondition is required.", detail);

    public static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);

    /// <summary>
    /// The answer of an exception handler to an outage of something the request needs (503 with Retry-After): not the
    /// client's fault and not a bug, so clients and meshes back off and come back.
    /// </summary>
    public static ValueTask<bool> WriteUnavailableAsync(
        IProblemDetailsService problems, HttpContext context, Exception exception, string type, string title, string detail, int retryAfterSeconds)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Type = type, Title = title, Detail = detail },
        });
    }
}
