using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Company.Service1.Tests.Todos;

/// <summary>The todos API on the Native AOT binary: its JSON context and its PostgreSQL store survive trimming.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class TodosNativeAotTests
{
    [Fact]
    public async Task The_aot_binary_stores_todos_in_postgres_and_refuses_a_malformed_one()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
        }, executable: await PublishedService.AotExecutableAsync());
        await service.WaitUntilReadyAsync();

        var created = await service.Client.PostAsJsonAsync("/api/v1/todos", new { title = "native" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var page = await service.Client.GetFromJsonAsync<JsonElement>("/api/v1/todos");
        Assert.Equal("native", page.GetProperty("items")[0].GetProperty("title").GetString());
        using var bad = new StringContent("""{"title":5}""", System.Text.Encoding.UTF8, "application/json");
        await ProblemAssertions.AssertProblemAsync(await service.Client.PostAsync("/api/v1/todos", bad), HttpStatusCode.BadRequest, "malformed-request", "title");
    }
}
