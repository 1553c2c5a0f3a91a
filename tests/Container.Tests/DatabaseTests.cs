using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Company.Service1.Container.Tests;

/// <summary>The images against a real PostgreSQL on 127.0.0.1, reached over the host network.</summary>
[Collection(ContainerTests.Name)]
public sealed class DatabaseTests(ContainerFixture fixture)
{
    private readonly ContainerFixture _fixture = fixture;

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task The_image_migrates_the_database_and_then_serves_todos_stored_in_it(string variant)
    {
        var connectionString = await _fixture.Postgres.CreateDatabaseAsync();
        var (migrateExit, migrateOutput) = await ContainerFixture.MigrateAsync(variant, connectionString);
        Assert.True(migrateExit == 0, $"Company.Service1 migrate exited {migrateExit}:\n{migrateOutput}");

        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant),
            new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = connectionString });
        await container.WaitUntilReadyAsync();
        using var created = await container.Client.PostAsync("/api/v1/todos", HardeningTests.Json("""{"title":"stored by the container"}"""));
        Assert.Equal(201, (int)created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT title FROM todos WHERE id = $1", connection) { Parameters = { new NpgsqlParameter { Value = id } } };

        Assert.Equal("stored by the container", await query.ExecuteScalarAsync());
    }
}
