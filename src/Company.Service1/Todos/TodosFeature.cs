using System.Globalization;
//#if (postgres)
using Npgsql;
//#endif

namespace Company.Service1.Todos;

public static partial class TodosFeature
{
    /// <summary>
    /// The todos feature's services: its store, its JSON types, its OpenAPI tag and its authorization policies (one
    /// scope to read, one to write). The store is PostgreSQL when the platform's database module registered a data
    /// source, otherwise the in-memory store.
    /// </summary>
    public static WebApplicationBuilder AddTodos(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(ChooseStore);
        builder.Services.AddAuthorizationBuilder()
            .AddScopePolicy(TodosEndpoints.ReadScope, TodosEndpoints.ReadScope)
            .AddScopePolicy(TodosEndpoints.WriteScope, TodosEndpoints.WriteScope);
        builder.AddJsonTypes(TodosJsonContext.Default);
        builder.AddApiTag(TodosEndpoints.Tag, "The sample resource: paged, validated, with optimistic concurrency through ETags.");
        var created = DateTimeOffset.Parse("2026-01-15T09:30:00Z", CultureInfo.InvariantCulture);
        var todo = new Todo(Guid.Parse("0195f1c2-7d3a-7b41-9c6e-2f4a8b1d5e90"), "Write the README", false, 1, created, created);
        builder.AddApiExample(todo, TodosJsonContext.Default.Todo);
        builder.AddApiExample(new TodoInput { Title = "Write the README", Done = false }, TodosJsonContext.Default.TodoInput);
        builder.AddApiExample(new TodoPage([todo], null), TodosJsonContext.Default.TodoPage);
        return builder;
    }

    /// <summary>Says loudly, once, when the store is in memory: that store in production would lose data.</summary>
    private static ITodoStore ChooseStore(IServiceProvider services)
    {
        //#if (postgres)
        if (services.GetService<NpgsqlDataSource>() is { } dataSource)
        {
            return new PostgresTodoStore(dataSource);
        }

        //#endif
        LogInMemory(services.GetRequiredService<ILoggerFactory>().CreateLogger("Company.Service1.Storage"));
        return new InMemoryTodoStore();
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "STORAGE: IN-MEMORY. No database is configured: todos are lost on restart and not shared between instances. Do not run this way in production.")]
    private static partial void LogInMemory(ILogger logger);
}
