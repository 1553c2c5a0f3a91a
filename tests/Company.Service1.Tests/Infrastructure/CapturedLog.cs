using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Company.Service1.Tests.Infrastructure;

public sealed record LogLine(string Category, LogLevel Level, string Message);

/// <summary>Every log line of Information and above, as written through ILogger.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception)));
            }
        }
    }
}

public static class CapturedLogExtensions
{
    /// <summary>The service with its log lines also captured in <paramref name="log"/>.</summary>
    public static WebApplicationFactory<Program> LoggingTo(this WebApplicationFactory<Program> factory, CapturedLog log) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(log)));
}
