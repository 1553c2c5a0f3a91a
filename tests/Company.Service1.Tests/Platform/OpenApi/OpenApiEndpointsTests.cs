using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Company.Service1.Platform.Health;
using Company.Service1.Platform.OpenApi;
using Company.Service1.Platform.StatusPage;
using Json.Schema;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Company.Service1.Tests.Platform.OpenApi;

/// <summary>
/// The OpenAPI document against the running service: valid OpenAPI 3.1, every endpoint in it with the problem answers
/// it can give, and examples that are what they claim. Checked on whatever endpoints are mapped, so it holds with or
/// without the sample.
/// </summary>
public sealed class OpenApiEndpointsTests : IAsyncLifetime
{
    private const string ProblemJson = "application/problem+json";

    private readonly TokenIssuer _issuer = new();
    private readonly ServiceFactory _factory;
    private string _json = "";

    public OpenApiEndpointsTests()
    {
        // As in production: tokens checked and rate limiting on, so the document carries the 401, 403 and 429 they
        // answer. Drills on, so the test sees that they stay out of it.
        var settings = _issuer.Settings();
        settings["RateLimit:PermitsPerSecond"] = "300";
        settings["RateLimit:PermitsPerClientPerSecond"] = "100";
        settings["Drills:Enabled"] = "true";
        _factory = new ServiceFactory(settings);
    }

    public async Task InitializeAsync() => _json = await _factory.CreateClient().GetStringAsync(OpenApiEndpoints.DocumentPath);

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _issuer.Dispose();
    }

    [Fact]
    public void The_document_parses_as_OpenAPI_3_1_without_errors()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(_json, "json");

        Assert.True(diagnostic is { Errors.Count: 0 }, "OpenAPI reader errors: " + string.Join("; ", diagnostic?.Errors ?? []));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic!.SpecificationVersion);
        Assert.NotNull(document);
        var invalid = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(invalid.Count == 0, "OpenAPI validation errors: " + string.Join("; ", invalid));
        Assert.Equal("Company.Service1 API", document.Info.Title);
    }

    [Fact]
    public void Every_mapped_endpoint_is_in_the_document_but_those_left_out_on_purpose()
    {
        var paths = JsonNode.Parse(_json)!["paths"]!.AsObject();

        var absent = DocumentedEndpoints()
            .Where(e => paths[e.Path]?[e.Method.ToLowerInvariant()] is null)
            .Select(e => $"{e.Method} {e.Path}").ToList();

        Assert.True(absent.Count == 0, "Mapped but not in the OpenAPI document: " + string.Join(", ", absent)
            + ". Give them API descriptions (route handlers get one), or leave them out on purpose in LeftOut with the reason.");
    }

    [Fact]
    public void The_drills_the_probes_and_the_document_itself_stay_out_of_the_document()
    {
        var paths = JsonNode.Parse(_json)!["paths"]!.AsObject();

        var leftOut = Endpoints().Where(e => LeftOut(e.Endpoint) is not null).ToList();

        Assert.Contains(leftOut, e => e.Path == "/delay/{ms}");
        Assert.Contains(leftOut, e => e.Path == HealthEndpoints.ReadinessPath);
        Assert.All(leftOut, e => Assert.Null(paths[e.Path]));
    }

    [Fact]
    public void Every_operation_lists_the_problems_it_can_answer_as_problem_json()
    {
        var paths = JsonNode.Parse(_json)!["paths"]!.AsObject();
        var wrong = new List<string>();

        foreach (var (method, path, endpoint) in DocumentedEndpoints())
        {
            if (paths[path]?[method.ToLowerInvariant()] is not { } operation)
            {
                continue; // Every_mapped_endpoint_is_in_the_document_but_those_left_out_on_purpose says so.
            }

            var responses = operation["responses"]!.AsObject();
            foreach (var status in ExpectedProblems(endpoint, operation).Where(s => responses[s.ToString(CultureInfo.InvariantCulture)] is null))
            {
                wrong.Add($"{method} {path}: no {status} response");
            }

            foreach (var (status, response) in responses.Where(r => int.Parse(r.Key, CultureInfo.InvariantCulture) >= 400))
            {
                var content = response!["content"]?.AsObject();
                if (content is null || content.Count != 1 || content[ProblemJson]?["schema"] is null)
                {
                    wrong.Add($"{method} {path}: {status} is not described as {ProblemJson} with a schema");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task With_rate_limiting_off_no_operation_claims_a_429()
    {
        // ServiceFactory turns both limits off.
        await using var factory = new ServiceFactory();

        var paths = JsonNode.Parse(await factory.CreateClient().GetStringAsync(OpenApiEndpoints.DocumentPath))!["paths"]!.AsObject();

        var claiming = paths.SelectMany(p => p.Value!.AsObject().Where(o => o.Value!["responses"]?["429"] is not null).Select(o => $"{o.Key} {p.Key}")).ToList();
        Assert.True(claiming.Count == 0, "429 documented although no rate limit is on: " + string.Join(", ", claiming));
        Assert.NotNull(paths["/version"]?["get"]?["responses"]?["500"]);
    }

    [Fact]
    public void Every_example_in_the_document_validates_against_its_schema()
    {
        var document = JsonNode.Parse(_json)!.AsObject();
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        var examples = new List<(string Where, JsonNode Schema, JsonNode? Example)>();
        foreach (var (name, schema) in schemas)
        {
            examples.AddRange(ExamplesOf(schema!).Select(e => ($"components.schemas.{name}", (JsonNode)schema!, e)));
        }

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var media = (operation!["requestBody"]?["content"]?.AsObject() ?? []).Select(m => ("request body " + m.Key, m.Value))
                    .Concat((operation["responses"]?.AsObject() ?? []).SelectMany(r =>
                        (r.Value!["content"]?.AsObject() ?? []).Select(m => ($"{r.Key} {m.Key}", m.Value))));
                examples.AddRange(media.Where(m => m.Value!["schema"] is not null)
                    .SelectMany(m => ExamplesOf(m.Value!).Select(e => ($"{method} {path} {m.Item1}", m.Value!["schema"]!, e))));
            }
        }

        // The platform's own schemas (the problem details, /version) carry examples, so there is always one to check.
        Assert.Contains(examples, e => e.Where == "components.schemas.ProblemDetails");
        var invalid = examples.Select(e => (e.Where, Errors: Validate(Inline(e.Schema, schemas, 0), e.Example)))
            .Where(r => r.Errors.Length > 0).Select(r => $"{r.Where}: {r.Errors}").ToList();
        Assert.True(invalid.Count == 0, "Examples that do not match their schema:\n" + string.Join("\n", invalid));
    }

    /// <summary>
    /// The problems the platform answers an operation with: 500 for a failure anywhere, 429 from the rate limiter,
    /// 401 and 403 where a policy applies (tokens are checked here), 400 where a parameter or a body can be malformed, 413 and 415 where there
    /// is a body; and the 4xx and 5xx the endpoint declares itself.
    /// </summary>
    private static IEnumerable<int> ExpectedProblems(Endpoint endpoint, JsonNode operation)
    {
        yield return StatusCodes.Status500InternalServerError;
        yield return StatusCodes.Status429TooManyRequests;
        if (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any())
        {
            yield return StatusCodes.Status401Unauthorized;
            yield return StatusCodes.Status403Forbidden;
        }

        var hasBody = operation["requestBody"] is not null;
        if (hasBody || operation["parameters"] is JsonArray { Count: > 0 })
        {
            yield return StatusCodes.Status400BadRequest;
        }

        if (hasBody)
        {
            yield return StatusCodes.Status413PayloadTooLarge;
            yield return StatusCodes.Status415UnsupportedMediaType;
        }

        foreach (var declared in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Where(p => p.StatusCode >= 400))
        {
            yield return declared.StatusCode;
        }
    }

    /// <summary>Why an endpoint is not in the document, or null when it must be.</summary>
    private static string? LeftOut(Endpoint endpoint)
    {
        var path = PathOf((RouteEndpoint)endpoint);
        if (path is HealthEndpoints.LivenessPath or HealthEndpoints.ReadinessPath or HealthEndpoints.ReportPath)
        {
            return "a probe: for the kubelet and load balancers, answered with a health report, listed in the README";
        }

        if (path == StatusPageEndpoints.PagePath || path.StartsWith(StatusPageEndpoints.AssetsPrefix + "/", StringComparison.Ordinal))
        {
            return "the status page: for a person in a browser, not an API";
        }

        if (path.StartsWith(new ApiReferenceOptions().Path + "/", StringComparison.Ordinal))
        {
            return "the API reference: a page that renders this document";
        }

        if (path == OpenApiEndpoints.DocumentPath)
        {
            return "the document itself";
        }

        if (endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("Drills") == true)
        {
            return "a failure drill: opt-in, for rollout tests, never routed publicly";
        }

        return null;
    }

    private IEnumerable<(string Method, string Path, Endpoint Endpoint)> DocumentedEndpoints() =>
        Endpoints().Where(e => LeftOut(e.Endpoint) is null);

    /// <summary>Every route the service maps, one entry per method, as OpenAPI writes its path.</summary>
    private List<(string Method, string Path, Endpoint Endpoint)> Endpoints()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        return [.. endpoints.SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (m, PathOf(e), (Endpoint)e)))];
    }

    // "/api/v1/todos/" and "/status/{code:int}" are "/api/v1/todos" and "/status/{code}" in the document.
    private static string PathOf(RouteEndpoint endpoint)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }

    private static IEnumerable<JsonNode?> ExamplesOf(JsonNode holder)
    {
        if (holder.AsObject().TryGetPropertyValue("example", out var example))
        {
            yield return example;
        }

        switch (holder["examples"])
        {
            case JsonArray list:
                foreach (var item in list)
                {
                    yield return item;
                }

                break;
            case JsonObject named:
                foreach (var (_, item) in named)
                {
                    yield return item!["value"];
                }

                break;
        }
    }

    /// <summary>The schema with each <c>#/components/schemas/</c> reference replaced by its target, so it stands alone.</summary>
    private static JsonNode Inline(JsonNode schema, JsonObject components, int depth)
    {
        Assert.True(depth < 32, "A recursive schema: inline it differently to validate its examples.");
        switch (schema)
        {
            case JsonObject o when o["$ref"]?.GetValue<string>() is { } reference:
                const string prefix = "#/components/schemas/";
                Assert.StartsWith(prefix, reference, StringComparison.Ordinal);
                return Inline(components[reference[prefix.Length..]]!, components, depth + 1);
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    copy[key] = key is "example" or "examples" || value is null ? value?.DeepClone() : Inline(value, components, depth + 1);
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(v => v is null ? null : Inline(v, components, depth + 1))]);
            default:
                return schema.DeepClone();
        }
    }

    private static string Validate(JsonNode schema, JsonNode? example)
    {
        var results = JsonSchema.FromText(schema.ToJsonString()).Evaluate(
            JsonSerializer.SerializeToElement(example), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? ""
            : string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));
    }
}
