namespace Company.Service1.Todos;

/// <summary>Where todos live: PostgreSQL in production, memory when no database is configured.</summary>
public interface ITodoStore
{
    Task<Todo?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Todos in id (creation) order after <paramref name="after"/>; fetches one extra row to know if more follow.</summary>
    Task<IReadOnlyList<Todo>> ListAsync(Guid? after, int limit, CancellationToken cancellationToken);

    Task<Todo> CreateAsync(Todo todo, CancellationToken cancellationToken);

    /// <summary>Replaces title and done when the stored version equals <paramref name="expectedVersion"/> (null: any).</summary>
    Task<UpdateResult> UpdateAsync(Guid id, long? expectedVersion, string title, bool done, DateTimeOffset now, CancellationToken cancellationToken);

    Task<WriteOutcome> DeleteAsync(Guid id, long? expectedVersion, CancellationToken cancellationToken);
}
