using Company.Service1.Platform.Database;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Company.Service1.Todos;

public static partial class TodoStoreExtensions
{
    /// <summary>PostgreSQL when a connection string is configured, otherwise the in-memory store.</summary>
    public static WebApplicationBuilder AddTodoStore(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (builder.AddPostgres())
        {
            builder.Services.AddSingleton<ITodoStore, PostgresTodoStore>();
        }
        else
        {
            builder.Services.AddSingleton<ITodoStore, InMemoryTodoStore>();
        }

        return builder;
    }

    /// <summary>Says loudly, once, which store is in use: an in-memory store in production would lose data.</summary>
    public static WebApplication LogTodoStore(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Company.Service1.Storage");
        var connectionString = app.Configuration.GetConnectionString(PostgresExtensions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogInMemory(logger);
        }
        else
        {
            var database = PostgresExtensions.Describe(connectionString);
            LogPostgres(logger, database);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "STORAGE: IN-MEMORY. No ConnectionStrings:Postgres is set: data is lost on restart and not shared between instances. Do not run this way in production.")]
    private static partial void LogInMemory(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "STORAGE: PostgreSQL at {Database}")]
    private static partial void LogPostgres(ILogger logger, string database);
}
