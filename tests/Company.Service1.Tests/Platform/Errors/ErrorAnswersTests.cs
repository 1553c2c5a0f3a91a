using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Service1.Tests.Platform.Errors;

/// <summary>
/// The whole problem answer (status, type, title, detail, instance, field) for what the framework produces on its
/// own: a bare error status, and each request rejection it throws. A test-only middleware at the end of the real
/// pipeline produces them, so no feature is needed.
/// </summary>
public sealed class ErrorAnswersTests : IAsyncLifetime
{
    private const string Status = "/test-only/status/";
    private const string Reject = "/test-only/reject/";

    private readonly ServiceFactory _factory = new();
    private WebApplicationFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _service = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, AnswerAtTheEnd>()));
        _client = _service.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData(400, "malformed-request", null)]
    [InlineData(401, "unauthorized", "Send a valid bearer token in the Authorization header; WWW-Authenticate says what was wrong.")]
    [InlineData(403, "forbidden", "The token is valid but does not grant the scope this operation requires.")]
    [InlineData(404, "not-found", "No resource exists at this path.")]
    [InlineData(405, "method-not-allowed", "This path does not support the method; see the Allow header.")]
    [InlineData(412, "precondition-failed", null)]
    [InlineData(413, "payload-too-large", "The request body exceeds the configured limit.")]
    [InlineData(415, "unsupported-media-type", "Send the body as application/json.")]
    [InlineData(418, "http-error", null)]
    [InlineData(422, "validation-failed", null)]
    [InlineData(428, "precondition-required", null)]
    [InlineData(429, "rate-limited", null)]
    [InlineData(431, "http-error", null)]
    [InlineData(500, "internal-error", "The server failed to process the request; it has been logged.")]
    [InlineData(503, "http-error", null)]
    [InlineData(599, "http-error", null)]
    public async Task A_bare_error_status_gets_a_problem_body_with_its_type_detail_and_instance(int status, string type, string? detail)
    {
        using var response = await _client.GetAsync($"{Status}{status}");

        var problem = await ProblemAssertions.AssertProblemAsync(response, (HttpStatusCode)status, type);
        Assert.Equal($"{Status}{status}", problem.GetProperty("instance").GetString());
        if (detail is null)
        {
            Assert.False(problem.TryGetProperty("detail", out _), $"unexpected detail for {status}");
        }
        else
        {
            Assert.Equal(detail, problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(304)]
    [InlineData(399)]
    public async Task A_success_or_redirect_keeps_its_empty_body(int status)
    {
        using var response = await _client.GetAsync($"{Status}{status}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_error_that_wrote_its_own_body_keeps_it()
    {
        using var response = await _client.GetAsync($"{Status}409?body=own");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("own", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_error_with_a_content_type_but_no_body_is_left_alone()
    {
        using var response = await _client.GetAsync($"{Status}409?type=only");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("too-large", 413, "payload-too-large", "The request body is too large.", "The request body exceeds the configured limit.", null)]
    [InlineData("media-type", 415, "unsupported-media-type", "The request body has an unsupported media type.", "Send the body as application/json.", null)]
    [InlineData("bind", 400, "malformed-request", "The request is malformed.", "limit has a value of the wrong type.", "limit")]
    [InlineData("no-body", 400, "malformed-request", "The request is malformed.", "A JSON body is required.", "body")]
    [InlineData("body-not-provided", 400, "malformed-request", "The request is malformed.", "A JSON body is required.", "body")]
    [InlineData("json-field", 400, "malformed-request", "The request is malformed.", "title is malformed or has the wrong type.", "title")]
    [InlineData("json-element", 400, "malformed-request", "The request is malformed.", "[0] is malformed or has the wrong type.", "[0]")]
    [InlineData("json-root", 400, "malformed-request", "The request is malformed.", "The body is not valid JSON.", "body")]
    [InlineData("json-unknown-member", 400, "malformed-request", "The request is malformed.", "priority is not a field of this resource.", "priority")]
    [InlineData("json-too-deep", 400, "malformed-request", "The request is malformed.", "The JSON body is nested too deeply.", "title")]
    [InlineData("json-too-deep-at-root", 400, "malformed-request", "The request is malformed.", "The JSON body is nested too deeply.", "body")]
    [InlineData("other", 400, "malformed-request", "The request is malformed.", "The request could not be understood.", null)]
    public async Task A_rejected_request_is_answered_with_a_title_and_detail_that_name_what_was_wrong(
        string rejection, int status, string type, string title, string detail, string? field)
    {
        using var response = await _client.GetAsync($"{Reject}{rejection}");

        var problem = await ProblemAssertions.AssertProblemAsync(response, (HttpStatusCode)status, type, field);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        if (field is null)
        {
            Assert.False(problem.TryGetProperty("errors", out _), $"unexpected errors for {rejection}");
        }
        else
        {
            Assert.Equal([detail], problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        }
    }

    [Fact]
    public async Task A_cancellation_the_client_did_not_ask_for_is_a_server_error()
    {
        using var response = await _client.GetAsync($"{Reject}cancelled");

        var problem = await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal-error");
        Assert.Equal("The server failed to process the request; it has been logged.", problem.GetProperty("detail").GetString());
    }

    /// <summary>Rejections as the framework throws them, with its own wording (see BadRequestExceptionHandler).</summary>
    private static BadHttpRequestException Rejection(string name) => name switch
    {
        "too-large" => new("Request body too large. The max request body size is 1048576 bytes.", StatusCodes.Status413PayloadTooLarge),
        "media-type" => new("Expected a supported JSON media type but got \"text/plain\".", StatusCodes.Status415UnsupportedMediaType),
        "bind" => new("Failed to bind parameter \"int? limit\" from \"abc\"."),
        "no-body" => new("Implicit body inferred for parameter \"todo\" but no body was provided. Did you mean to use a Service instead?"),
        "body-not-provided" => new("Required parameter \"TodoInput todo\" was not provided from body."),
        "json-field" => Json(new JsonException("The JSON value could not be converted to System.String.", "$.title", 1, 10)),
        "json-element" => Json(new JsonException("The JSON value could not be converted to System.String.", "$[0]", 1, 2)),
        "json-root" => Json(new JsonException("'n' is an invalid start of a value.", "$", 0, 0)),
        "json-unknown-member" => Json(new JsonException("The JSON property 'priority' could not be mapped to any .NET member contained in type 'TodoInput'.", "$", 1, 20)),
        "json-too-deep" => Json(new JsonException("The maximum configured depth of 64 has been exceeded.", "$.title", 1, 70)),
        "json-too-deep-at-root" => Json(new JsonException("The maximum configured depth of 64 has been exceeded.", "$", 1, 70)),
        _ => new("Something else the framework did not like."),
    };

    private static BadHttpRequestException Json(JsonException inner) => new("Failed to read parameter \"TodoInput todo\" from the request body as JSON.", inner);

    private sealed class AnswerAtTheEnd : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
            {
                var path = context.Request.Path.Value ?? "";
                if (path == $"{Reject}cancelled")
                {
                    throw new OperationCanceledException("a timeout inside the handler, not the client hanging up");
                }

                if (path.StartsWith(Reject, StringComparison.Ordinal))
                {
                    throw Rejection(path[Reject.Length..]);
                }

                if (!path.StartsWith(Status, StringComparison.Ordinal))
                {
                    await nextMiddleware(context);
                    return;
                }

                context.Response.StatusCode = int.Parse(path[Status.Length..], System.Globalization.CultureInfo.InvariantCulture);
                if (context.Request.Query["body"] == "own")
                {
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync("own");
                }
                else if (context.Request.Query["type"] == "only")
                {
                    context.Response.ContentType = "text/plain";
                }
            });
        };
    }
}
