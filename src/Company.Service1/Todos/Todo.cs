using System.Text.Json.Serialization;

namespace Company.Service1.Todos;

/// <summary>A stored todo. <see cref="Version"/> increases on every change and is the ETag.</summary>
public sealed record Todo(Guid Id, string Title, bool Done, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The body of POST and PUT. Unknown members are refused so a typo ("titel") never silently does nothing.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TodoInput
{
    public string? Title { get; set; }

    public bool? Done { get; set; }
}

/// <summary>One page of a keyset-paged list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record TodoPage(IReadOnlyList<Todo> Items, string? NextCursor);

/// <summary>Outcome of a conditional write.</summary>
public enum WriteOutcome
{
    Done,
    NotFound,
    VersionMismatch,
}

public sealed record UpdateResult(WriteOutcome Outcome, Todo? Todo = null);
