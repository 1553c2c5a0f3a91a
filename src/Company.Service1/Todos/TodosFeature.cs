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
