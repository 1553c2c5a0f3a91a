using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Company.Service1.Tests.Platform.Database;

/// <summary>What any endpoint answers when its database call fails: the platform's handler, asked like the framework asks it.</summary>
public sealed class DatabaseUnavailableTests
{
    [Fact]
    public async Task A_database_failure_is_answered_503_with_retry_after_and_no_secret()
    {
        const string password = "never-show-me";
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=app;Password={password};Database=app;Timeout=2",
            ["Database:RetryAfterSeconds"] = "7",
        });
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());
        using var scope = factory.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        context.Request.Path = "/api/anything";
        context.Response.Body = new MemoryStream();

        var handled = false;
        foreach (var handler in scope.ServiceProvider.GetServices<IExceptionHandler>())
        {
            if (await handler.TryHandleAsync(context, failure, CancellationToken.None))
            {
                handled = true;
                break;
            }
        }

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("7", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("urn:problem-type:company-service1:database-unavailable", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain(password, body, StringComparison.Ordinal);
    }
}
