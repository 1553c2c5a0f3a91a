using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Company.Service1.Platform.OpenApi;

/// <summary>
/// Adds to each operation of the document the problem answers the platform's middleware can give it, so a feature
/// declares only its own (404, 412, 422...) and the document never leaves out a 429 or a 500 a client will meet.
/// The 401 and 403 of the bearer scheme come from <see cref="Authentication.BearerApiDocument"/>, only when tokens are checked.
/// </summary>
internal static class ProblemsApiDocument
{
    private const string ProblemJson = "application/problem+json";

    public static void Describe(OpenApiOptions options)
    {
        options.AddOperationTransformer((operation, context, cancellationToken) =>
            AddAsync(operation, context, PlatformStatuses(operation, context), cancellationToken));

        // What an answer looks like, for the readers of the API reference and for generated clients' tests.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
            {
                schema.Examples = [new JsonObject
                {
                    ["type"] = ProblemTypes.RateLimited,
                    ["title"] = "Too many requests.",
                    ["status"] = StatusCodes.Status429TooManyRequests,
                    ["detail"] = "This instance accepts 100 requests per second from one client. Retry after the interval in Retry-After.",
                    ["instance"] = "/api/v1/things",
                    ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                }];
            }
            else if (context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            {
                schema.Examples = [new JsonObject
                {
                    ["type"] = ProblemTypes.ValidationFailed,
                    ["title"] = "The request has invalid values.",
                    ["status"] = StatusCodes.Status422UnprocessableEntity,
                    ["detail"] = "See errors for each field that was rejected.",
                    ["instance"] = "/api/v1/things",
                    ["errors"] = new JsonObject { ["title"] = new JsonArray("title must not be blank.") },
                    ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                }];
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Adds a problem-details response for each of <paramref name="statuses"/> the operation does not list yet.</summary>
    internal static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, IEnumerable<int> statuses, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        var missing = statuses.Select(s => s.ToString(CultureInfo.InvariantCulture)).Where(s => !operation.Responses.ContainsKey(s)).ToList();
        if (missing.Count == 0 || context.Document is not { } document)
        {
            return;
        }

        document.AddComponent(nameof(ProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        foreach (var status in missing)
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(int.Parse(status, CultureInfo.InvariantCulture)),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) },
                },
            };
        }
    }

    /// <summary>The statuses the platform answers this operation with, whatever the feature behind it does.</summary>
    private static IEnumerable<int> PlatformStatuses(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        // Binding failures and malformed bodies (BadRequestExceptionHandler), the body limit and the media type.
        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            yield return StatusCodes.Status400BadRequest;
        }

        if (operation.RequestBody is not null)
        {
            yield return StatusCodes.Status413PayloadTooLarge;
            yield return StatusCodes.Status415UnsupportedMediaType;
        }

        // The rate limiter covers every endpoint but the probes, which are not in the document.
        var limits = context.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (limits.PermitsPerSecond > 0 || limits.PermitsPerClientPerSecond > 0)
        {
            yield return StatusCodes.Status429TooManyRequests;
        }

        yield return StatusCodes.Status500InternalServerError;
    }
}
