using Npgsql;
using NpgsqlTypes;

namespace Company.Service1.Todos;

/// <summary>Todos in PostgreSQL. Plain parameterised SQL: no ORM, nothing reflective, AOT friendly.</summary>
public sealed class PostgresTodoStore(NpgsqlDataSource dataSource) : ITodoStore
{
    private const string Columns = "id, title, done, version, created_at, updated_at";

    public async Task<Todo?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM todos WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Todo>> ListAsync(Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM todos WHERE $1::uuid IS NULL OR id > $1 ORDER BY id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = after is { } a ? a : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var todos = new List<Todo>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            todos.Add(Read(reader));
        }

        return todos;
    }

    public async Task<Todo> CreateAsync(Todo todo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(todo);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO todos ({Columns}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = todo.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = todo.Title });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = todo.Done });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = todo.Version });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = todo.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = todo.UpdatedAt });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader);
    }

    public async Task<UpdateResult> UpdateAsync(Guid id, long? expectedVersion, string title, bool done, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE todos SET title = $2, done = $3, version = version + 1, updated_at = $4
            WHERE id = $1 AND ($5::bigint IS NULL OR version = $5)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = title });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = done });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(VersionParameter(expectedVersion));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                return new UpdateResult(WriteOutcome.Done, Read(reader));
            }
        }

        return new UpdateResult(await ExistsAsync(id, cancellationToken) ? WriteOutcome.VersionMismatch : WriteOutcome.NotFound);
    }

    public async Task<WriteOutcome> DeleteAsync(Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM todos WHERE id = $1 AND ($2::bigint IS NULL OR version = $2)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(VersionParameter(expectedVersion));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return WriteOutcome.Done;
        }

        return await ExistsAsync(id, cancellationToken) ? WriteOutcome.VersionMismatch : WriteOutcome.NotFound;
    }

    private async Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM todos WHERE id = $1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlParameter VersionParameter(long? version) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = version is { } v ? v : DBNull.Value };

    private static Todo Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetBoolean(2),
        reader.GetInt64(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetFieldValue<DateTimeOffset>(5));
}
