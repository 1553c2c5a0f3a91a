using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Company.Service1.Platform.Errors;

public static class ProblemResponses
{
    /// <summary>
    /// Every error answer is RFC 9457 problem details with a stable type: handler results, framework
    /// rejections (404/405/415/413 and binding failures) and exceptions alike. Never a stack trace.
    /// </summary>
    public static WebApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
            }

            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Detail ??= DefaultDetail(problem.Status ?? context.HttpContext.Response.StatusCode);
        });

        // Binding failures throw, so BadRequestExceptionHandler can name the field instead of answering an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ClientAbortExceptionHandler>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        return builder;
    }

    /// <summary>A sentence for answers the framework produced without one (routing, media type, limits).</summary>
    internal static string? DefaultDetail(int status) => status switch
    {
        // The bearer handler's challenge and forbid answer with a bare status; WWW-Authenticate says why a token failed.
        StatusCodes.Status401Unauthorized => "Send a valid bearer token in the Authorization header; WWW-Authenticate says what was wrong.",
        StatusCodes.Status403Forbidden => "The token is valid but does not grant the scope this operation requires.",
        StatusCodes.Status404NotFound => "No resource exists at this path.",
        StatusCodes.Status405MethodNotAllowed => "This path does not support the method; see the Allow header.",
        StatusCodes.Status413PayloadTooLarge => "The request body exceeds the configured limit.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        StatusCodes.Status500InternalServerError => "The server failed to process the request; it has been logged.",
        _ => null,
    };

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseEmptyErrorBodies();
        return app;
    }

    /// <summary>
    /// Error answers that finished without a body (routing's 404 and 405, a bare status code result) get a problem
    /// body, as <c>UseStatusCodePages</c> would give them.
    /// </summary>
    /// <remarks>
    /// Not <c>UseStatusCodePages</c> itself: it allocates a feature and an items dictionary on every request, the
    /// successful ones included, where this only looks at the finished response.
    /// </remarks>
    private static void UseEmptyErrorBodies(this WebApplication app)
    {
        var problems = app.Services.GetRequiredService<IProblemDetailsService>();
        app.Use(async (context, next) =>
        {
            await next(context);
            var response = context.Response;
            if (response.StatusCode is >= 400 and < 600 && !response.HasStarted && response.ContentLength is null
                && string.IsNullOrEmpty(response.ContentType))
            {
                await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = response.StatusCode },
                });
            }
        });
    }
}
