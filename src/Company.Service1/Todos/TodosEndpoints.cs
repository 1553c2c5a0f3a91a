using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Company.Service1.Todos;

/// <summary>
/// <c>/api/v1/todos</c>: the sample resource. Shows the conventions to copy: typed results, problem details
/// naming the field, keyset paging with a bounded page size, and optimistic concurrency through ETag/If-Match.
/// </summary>
public static class TodosEndpoints
{
    public const string BasePath = "/api/v1/todos";
    public const string Tag = "Todos";

    /// <summary>The token scopes, and the names of the policies that require them.</summary>
    public const string ReadScope = "todos:read";
    public const string WriteScope = "todos:write";

    public static IEndpointRouteBuilder MapTodos(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        // The store is chosen now, so the service says which one at startup rather than on the first request.
        routes.ServiceProvider.GetRequiredService<ITodoStore>();

        // The platform documents the problems its middleware answers (400, 401, 403, 413, 415, 429, 500); each
        // endpoint declares its own, and every one can meet a database outage.
        var todos = routes.MapGroup(BasePath).WithTags(Tag).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        todos.MapGet("/", ListAsync).WithName("ListTodos").RequireAuthorization(ReadScope);
        todos.MapGet("/{id}", GetAsync).WithName("GetTodo").RequireAuthorization(ReadScope).ProducesProblem(StatusCodes.Status404NotFound);
        todos.MapPost("/", CreateAsync).WithName("CreateTodo").RequireAuthorization(WriteScope)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        todos.MapPut("/{id}", ReplaceAsync).WithName("ReplaceTodo").RequireAuthorization(WriteScope)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        todos.MapDelete("/{id}", DeleteAsync).WithName("DeleteTodo").RequireAuthorization(WriteScope)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return routes;
    }

    internal static async Task<Results<Ok<TodoPage>, ProblemHttpResult>> ListAsync(
        ITodoStore store, CancellationToken cancellationToken, string? limit = null, string? cursor = null)
    {
        // Query values are parsed here rather than by the binder so a bad one is answered naming the parameter.
        var pageSize = TodoRules.DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > TodoRules.MaxPageSize))
        {
            return Problems.BadParameter("limit", $"limit must be between 1 and {TodoRules.MaxPageSize}.");
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var parsed))
            {
                return Problems.BadParameter("cursor", "cursor must be the nextCursor of a previous page.");
            }

            after = parsed;
        }

        var rows = await store.ListAsync(after, pageSize + 1, cancellationToken);
        var items = rows.Count > pageSize ? rows.Take(pageSize).ToList() : rows;
        var next = rows.Count > pageSize ? items[^1].Id.ToString() : null;
        return TypedResults.Ok(new TodoPage(items, next));
    }

    internal static async Task<Results<Ok<Todo>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        string id, ITodoStore store, HttpContext context, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var todoId, out var invalid))
        {
            return invalid;
        }

        var todo = await store.GetAsync(todoId, cancellationToken);
        if (todo is null)
        {
            return Problems.NotFound($"No todo has id {todoId}.");
        }

        context.Response.Headers.ETag = ETags.Format(todo.Version);
        if (ETags.NoneMatchHits(context.Request.Headers, todo.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(todo);
    }

    internal static async Task<Results<Created<Todo>, ProblemHttpResult>> CreateAsync(
        TodoInput input, ITodoStore store, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = TodoRules.Validate(input, isReplacement: false);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var now = time.GetUtcNow();
        var todo = await store.CreateAsync(
            new Todo(TodoIds.Next(now), input.Title!.Trim(), input.Done ?? false, 1, now, now), cancellationToken);
        context.Response.Headers.ETag = ETags.Format(todo.Version);
        return TypedResults.Created($"{BasePath}/{todo.Id}", todo);
    }

    internal static async Task<Results<Ok<Todo>, ProblemHttpResult>> ReplaceAsync(
        string id, TodoInput input, ITodoStore store, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var todoId, out var invalid))
        {
            return invalid;
        }

        if (!ETags.TryReadIfMatch(context.Request.Headers, out var expectedVersion, out var preconditionError))
        {
            return context.Request.Headers.IfMatch.Count == 0
                ? Problems.PreconditionRequired(preconditionError!)
                : Problems.BadParameter("If-Match", preconditionError!);
        }

        var errors = TodoRules.Validate(input, isReplacement: true);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await store.UpdateAsync(todoId, expectedVersion, input.Title!.Trim(), input.Done!.Value, time.GetUtcNow(), cancellationToken);
        switch (result.Outcome)
        {
            case WriteOutcome.NotFound:
                return Problems.NotFound($"No todo has id {todoId}.");
            case WriteOutcome.VersionMismatch:
                return Problems.PreconditionFailed("The todo was changed since you read it: GET it again and retry with its new ETag.");
            default:
                context.Response.Headers.ETag = ETags.Format(result.Todo!.Version);
                return TypedResults.Ok(result.Todo);
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, ITodoStore store, HttpContext context, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var todoId, out var invalid))
        {
            return invalid;
        }

        // If-Match is optional on delete: without it the delete is unconditional.
        long? expectedVersion = null;
        if (context.Request.Headers.IfMatch.Count > 0 && !ETags.TryReadIfMatch(context.Request.Headers, out expectedVersion, out var preconditionError))
        {
            return Problems.BadParameter("If-Match", preconditionError!);
        }

        return await store.DeleteAsync(todoId, expectedVersion, cancellationToken) switch
        {
            WriteOutcome.NotFound => Problems.NotFound($"No todo has id {todoId}."),
            WriteOutcome.VersionMismatch => Problems.PreconditionFailed("The todo was changed since you read it."),
            _ => TypedResults.NoContent(),
        };
    }

    private static bool TryParseId(string raw, out Guid id, out ProblemHttpResult invalid)
    {
        invalid = null!;
        if (Guid.TryParse(raw, out id))
        {
            return true;
        }

        invalid = Problems.BadParameter("id", "id must be a UUID.");
        return false;
    }
}
