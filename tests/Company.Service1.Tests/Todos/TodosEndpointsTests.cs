using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Company.Service1.Tests.Todos;

/// <summary>The sample resource end to end, in-process against a real PostgreSQL database of its own.</summary>
public sealed class TodosEndpointsTests : IAsyncLifetime
{
    private ServiceFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _factory = await ServiceFactory.WithNewDatabaseAsync();
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_stored_todo()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/todos", new { title = "  write the README  " });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var todo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("write the README", todo.GetProperty("title").GetString());
        Assert.False(todo.GetProperty("done").GetBoolean());
        Assert.Equal(1, todo.GetProperty("version").GetInt64());
        Assert.Equal($"/api/v1/todos/{todo.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Get_returns_the_todo_and_304_when_the_etag_still_matches()
    {
        var created = await CreateAsync("read me");

        var response = await _client.GetAsync($"/api/v1/todos/{created.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("read me", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/todos/{created.Id}");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(created.ETag));
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_a_404_problem()
    {
        var response = await _client.GetAsync($"/api/v1/todos/{Guid.NewGuid()}");
        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task List_pages_through_every_todo_in_creation_order()
    {
        var titles = Enumerable.Range(1, 5).Select(i => $"item {i}").ToList();
        foreach (var title in titles)
        {
            await CreateAsync(title);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/todos?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("title").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(titles, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Replace_with_the_current_etag_updates_and_bumps_the_version()
    {
        var created = await CreateAsync("draft");

        var response = await ReplaceAsync(created.Id, created.ETag, new { title = "final", done = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var todo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("final", todo.GetProperty("title").GetString());
        Assert.True(todo.GetProperty("done").GetBoolean());
        Assert.Equal(2, todo.GetProperty("version").GetInt64());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_is_412_and_changes_nothing()
    {
        var created = await CreateAsync("v1");
        Assert.Equal(HttpStatusCode.OK, (await ReplaceAsync(created.Id, created.ETag, new { title = "v2", done = false })).StatusCode);

        var stale = await ReplaceAsync(created.Id, created.ETag, new { title = "lost update", done = true });

        await ProblemAssertions.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "precondition-failed");
        var current = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/todos/{created.Id}");
        Assert.Equal("v2", current.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Concurrent_replacements_with_the_same_etag_let_exactly_one_win()
    {
        var created = await CreateAsync("contended");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ReplaceAsync(created.Id, created.ETag, new { title = $"writer {i}", done = true })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
    }

    [Fact]
    public async Task Replace_without_if_match_is_428()
    {
        var created = await CreateAsync("unguarded");
        var response = await _client.PutAsJsonAsync($"/api/v1/todos/{created.Id}", new { title = "x", done = true });
        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "precondition-required");
    }

    [Fact]
    public async Task Replace_with_if_match_star_updates_whatever_the_version()
    {
        var created = await CreateAsync("any");
        var response = await ReplaceAsync(created.Id, "*", new { title = "forced", done = false });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Replace_of_an_unknown_id_is_404()
    {
        var response = await ReplaceAsync(Guid.NewGuid().ToString(), "\"1\"", new { title = "ghost", done = false });
        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Delete_removes_the_todo_and_a_second_delete_is_404()
    {
        var created = await CreateAsync("temporary");

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/v1/todos/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/todos/{created.Id}")).StatusCode);
        await ProblemAssertions.AssertProblemAsync(await _client.DeleteAsync($"/api/v1/todos/{created.Id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_is_412_and_keeps_the_todo()
    {
        var created = await CreateAsync("guarded");
        await ReplaceAsync(created.Id, created.ETag, new { title = "changed", done = false });

        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/todos/{created.Id}");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(created.ETag));
        await ProblemAssertions.AssertProblemAsync(await _client.SendAsync(request), HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/v1/todos/{created.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_invalid_create_is_422_naming_the_field_and_stores_nothing()
    {
        var before = await CountAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/todos", new { title = new string('x', 201) });

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "validation-failed", "title");
        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> CountAsync() =>
        (await _client.GetFromJsonAsync<JsonElement>("/api/v1/todos?limit=100")).GetProperty("items").GetArrayLength();

    private async Task<(string Id, string ETag)> CreateAsync(string title)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/todos", new { title });
        response.EnsureSuccessStatusCode();
        var todo = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (todo.GetProperty("id").GetString()!, response.Headers.ETag!.Tag);
    }

    private async Task<HttpResponseMessage> ReplaceAsync(string id, string etag, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/todos/{id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await _client.SendAsync(request);
    }
}
