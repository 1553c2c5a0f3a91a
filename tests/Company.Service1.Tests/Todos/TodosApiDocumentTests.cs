using System.Text.Json;

namespace Company.Service1.Tests.Todos;

public sealed class TodosApiDocumentTests
{
    [Fact]
    public async Task The_openapi_document_describes_every_todo_operation_and_its_problems()
    {
        await using var factory = new ServiceFactory();

        var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("operationId", out _)))
            .Select(o => o.Value.GetProperty("operationId").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["CreateTodo", "DeleteTodo", "GetTodo", "ListTodos", "ReplaceTodo"], operations);
        var replace = paths.GetProperty("/api/v1/todos/{id}").GetProperty("put").GetProperty("responses");
        Assert.True(replace.TryGetProperty("412", out _));
        Assert.True(replace.TryGetProperty("428", out _));
        var tag = document.GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Todos");
        Assert.Contains("sample", tag.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_bodies_carry_examples_in_their_wire_format()
    {
        await using var factory = new ServiceFactory();

        var schemas = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement
            .GetProperty("components").GetProperty("schemas");

        // Platform/OpenApi's tests validate every example against its schema; this says the sample has its own.
        var todo = Assert.Single(schemas.GetProperty("Todo").GetProperty("examples").EnumerateArray());
        Assert.Equal("Write the README", todo.GetProperty("title").GetString());
        Assert.Single(schemas.GetProperty("TodoInput").GetProperty("examples").EnumerateArray());
        var page = Assert.Single(schemas.GetProperty("TodoPage").GetProperty("examples").EnumerateArray());
        Assert.Equal(todo.GetProperty("id").GetString(), Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task With_authentication_on_each_operation_names_the_bearer_scheme_and_its_scope()
    {
        using var issuer = new TokenIssuer();
        await using var factory = new ServiceFactory(issuer.Settings());

        var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
        Assert.Equal("A JWT from the configured issuer, with the scopes each operation lists.", scheme.GetProperty("description").GetString());
        var paths = document.GetProperty("paths");
        Assert.Equal(["todos:read"], ScopesOf(paths.GetProperty("/api/v1/todos").GetProperty("get")));
        Assert.Equal(["todos:write"], ScopesOf(paths.GetProperty("/api/v1/todos").GetProperty("post")));
        Assert.Equal(["todos:read"], ScopesOf(paths.GetProperty("/api/v1/todos/{id}").GetProperty("get")));
        Assert.Equal(["todos:write"], ScopesOf(paths.GetProperty("/api/v1/todos/{id}").GetProperty("put")));
        Assert.Equal(["todos:write"], ScopesOf(paths.GetProperty("/api/v1/todos/{id}").GetProperty("delete")));
        Assert.True(paths.GetProperty("/api/v1/todos").GetProperty("get").GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(paths.GetProperty("/api/v1/todos").GetProperty("post").GetProperty("responses").TryGetProperty("403", out _));
    }

    private static string[] ScopesOf(JsonElement operation) =>
        [.. Assert.Single(operation.GetProperty("security").EnumerateArray()).GetProperty("Bearer").EnumerateArray().Select(s => s.GetString()!)];
}
