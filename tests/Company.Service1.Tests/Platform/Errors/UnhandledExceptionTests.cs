using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Company.Service1.Tests.Platform.Errors;

/// <summary>
/// A handler that throws something no exception handler knows. The throw comes from a test-only middleware at the
/// end of the real pipeline (where a request no endpoint matched goes), so the test needs no feature to break.
/// </summary>
public sealed class UnhandledExceptionTests : IDisposable
{
    private const string ThrowingPath = "/test-only/throw";
    private const string Secret = "secret-from-the-exception-message";

    private readonly CapturedErrors _logs = new();
    private readonly TokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    // With authentication on, the identity provider's exception handler comes first and must pass this one on.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unhandled_exception_answers_500_problem_details_without_its_trace_and_logs_it_with_the_trace_id(bool authentication)
    {
        await using var factory = new ServiceFactory(authentication ? _issuer.Settings() : null);
        using var client = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, ThrowAtTheEnd>();
            services.AddSingleton<ILoggerProvider>(_logs);
        })).CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, ThrowingPath);
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.SendAsync(request);

        var problem = await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal-error");
        Assert.Equal("The server failed to process the request; it has been logged.", problem.GetProperty("detail").GetString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ThrowAtTheEnd), body, StringComparison.Ordinal);
        var logged = Assert.Single(_logs.Errors, error => error.Exception is InvalidOperationException { Message: Secret });
        Assert.Equal(traceId, logged.TraceId);
    }

    private sealed class ThrowAtTheEnd : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext context, RequestDelegate nextMiddleware) => context.Request.Path == ThrowingPath
                ? throw new InvalidOperationException(Secret)
                : nextMiddleware(context));
        };
    }

    private sealed record LoggedError(Exception? Exception, ActivityTraceId TraceId);

    /// <summary>Errors logged through ILogger, with the trace of the request they were logged in.</summary>
    private sealed class CapturedErrors : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<LoggedError> _errors = new();

        public IReadOnlyList<LoggedError> Errors => [.. _errors];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _errors.Enqueue(new LoggedError(exception, Activity.Current?.TraceId ?? default));
            }
        }

        public void Dispose()
        {
        }
    }
}
