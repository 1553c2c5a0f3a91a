using System.Net;
using System.Net.Http.Json;

namespace Company.Service1.Tests.Todos;

public sealed class TodosDuringAnOutageTests
{
    [Fact]
    public async Task Todo_reads_and_writes_during_an_outage_get_503_with_retry_after_and_no_secret()
    {
        const string password = "never-show-me";
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=app;Password={password};Database=app",
            ["Database:RetryAfterSeconds"] = "7",
        });
        var client = factory.CreateClient();

        var read = await client.GetAsync("/api/v1/todos");
        var write = await client.PostAsJsonAsync("/api/v1/todos", new { title = "lost?" });

        var problem = await ProblemAssertions.AssertProblemAsync(read, HttpStatusCode.ServiceUnavailable, "database-unavailable");
        await ProblemAssertions.AssertProblemAsync(write, HttpStatusCode.ServiceUnavailable, "database-unavailable");
        Assert.Equal(TimeSpan.FromSeconds(7), read.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(password, problem.ToString(), StringComparison.Ordinal);
    }
}
