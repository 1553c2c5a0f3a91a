namespace Company.Service1.Todos;

/// <summary>
/// The embedded default store: lets the service start with zero external services. Data lives as long as the
/// process and is not shared between instances, so it is for development and demos only.
/// </summary>
public sealed class InMemoryTodoStore : ITodoStore
{
    private readonly SortedDictionary<Guid, Todo> _todos = [];
    private readonly Lock _gate = new();

    public Task<Todo?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_todos.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Todo>> ListAsync(Guid? after, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<Todo> page = _todos.Values.Where(t => after is null || t.Id.CompareTo(after.Value) > 0).Take(limit).ToList();
            return Task.FromResult(page);
        }
    }

    public Task<Todo> CreateAsync(Todo todo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(todo);
        lock (_gate)
        {
            _todos.Add(todo.Id, todo);
            return Task.FromResult(todo);
        }
    }

    public Task<UpdateResult> UpdateAsync(Guid id, long? expectedVersion, string title, bool done, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_todos.TryGetValue(id, out var current))
            {
                return Task.FromResult(new UpdateResult(WriteOutcome.NotFound));
            }

            if (expectedVersion is not null && current.Version != expectedVersion)
            {
                return Task.FromResult(new UpdateResult(WriteOutcome.VersionMismatch));
            }

            var updated = current with { Title = title, Done = done, Version = current.Version + 1, UpdatedAt = now };
            _todos[id] = updated;
            return Task.FromResult(new UpdateResult(WriteOutcome.Done, updated));
        }
    }

    public Task<WriteOutcome> DeleteAsync(Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_todos.TryGetValue(id, out var current))
            {
                return Task.FromResult(WriteOutcome.NotFound);
            }

            if (expectedVersion is not null && current.Version != expectedVersion)
            {
                return Task.FromResult(WriteOutcome.VersionMismatch);
            }

            _todos.Remove(id);
            return Task.FromResult(WriteOutcome.Done);
        }
    }
}
