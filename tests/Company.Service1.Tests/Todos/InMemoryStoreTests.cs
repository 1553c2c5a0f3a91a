using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Company.Service1.Tests.Todos;

/// <summary>With no connection string the service still starts and serves the API from memory.</summary>
public sealed class InMemoryStoreTests : IAsyncLifetime
{
    private ServiceFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = new ServiceFactory();
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Readiness_needs_no_database_and_the_report_lists_no_database_check()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
        var report = await _client.GetStringAsync("/healthz");
        Assert.DoesNotContain("postgres", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_whole_lifecycle_works_without_postgres()
    {
        var created = await _client.PostAsJsonAsync("/api/v1/todos", new { title = "in memory", done = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var etag = created.Headers.ETag!.Tag;

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/todos/{id}") { Content = JsonContent.Create(new { title = "b", done = false }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(stale)).StatusCode);

        using var replace = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/todos/{id}") { Content = JsonContent.Create(new { title = "b", done = false }) };
        replace.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(replace)).StatusCode);

        var page = await _client.GetFromJsonAsync<JsonElement>("/api/v1/todos?limit=1");
        Assert.Equal("b", page.GetProperty("items")[0].GetProperty("title").GetString());

        using var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/todos/{id}");
        staleDelete.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(staleDelete)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/v1/todos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/v1/todos/{id}")).StatusCode);
        using var missing = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/todos/{id}") { Content = JsonContent.Create(new { title = "b", done = false }) };
        missing.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(missing)).StatusCode);
    }
}
