using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Company.Service1.Platform.Errors;

/// <summary>
/// Maps the framework's request rejections (unreadable JSON, wrong types, bad query values, wrong media type,
/// oversized body) to problem details that name the offending field, without echoing framework internals.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var (status, type, field, detail) = Describe(badRequest);
        var problem = field is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] });
        problem.Status = status;
        problem.Type = type;
        problem.Title = status switch
        {
            StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
            StatusCodes.Status415UnsupportedMediaType => "The request body has an unsupported media type.",
            _ => "The request is malformed.",
        };
        problem.Detail = detail;
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    internal static (int Status, string Type, string? Field, string Detail) Describe(BadHttpRequestException exception)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return (413, ProblemTypes.PayloadTooLarge, null, "The request body exceeds the configured limit.");
            case StatusCodes.Status415UnsupportedMediaType:
                return (415, ProblemTypes.UnsupportedMediaType, null, "Send the body as application/json.");
        }

        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }

        var parameter = BindFailure().Match(exception.Message);
        if (parameter.Success)
        {
            var name = parameter.Groups["name"].Value;
            return (400, ProblemTypes.MalformedRequest, name, $"{name} has a value of the wrong type.");
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal)
            || exception.Message.Contains("was not provided from body", StringComparison.Ordinal))
        {
            return (400, ProblemTypes.MalformedRequest, "body", "A JSON body is required.");
        }

        return (exception.StatusCode, ProblemTypes.ForStatus(exception.StatusCode), null, "The request could not be understood.");
    }

    private static (int, string, string?, string) DescribeJson(JsonException json)
    {
        var unmapped = UnmappedMember().Match(json.Message);
        if (unmapped.Success)
        {
            var member = unmapped.Groups["name"].Value;
            return (400, ProblemTypes.MalformedRequest, member, $"{member} is not a field of this resource.");
        }

        var field = FieldFromPath(json.Path);
        if (json.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return (400, ProblemTypes.MalformedRequest, field ?? "body", "The JSON body is nested too deeply.");
        }

        return field is null
            ? (400, ProblemTypes.MalformedRequest, "body", "The body is not valid JSON.")
            : (400, ProblemTypes.MalformedRequest, field, $"{field} is malformed or has the wrong type.");
    }

    /// <summary>"$.title" becomes "title"; the root ("$") names no field.</summary>
    internal static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    // The framework's wording is the only place the parameter name appears: 'Failed to bind parameter "int? limit" from "abc".'
    [GeneratedRegex("""Failed to bind parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BindFailure();

    [GeneratedRegex("""JSON property '(?<name>[^']{1,100})' could not be mapped""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex UnmappedMember();
}
