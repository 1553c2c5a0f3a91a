using System.Text.Json;

namespace Company.Service1.Tests.Todos;

/// <summary>The published binary says at startup when todos are kept only in memory.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class TodoStorageLogTests
{
    [Fact]
    public async Task Without_a_database_the_log_warns_once_and_loudly_that_todos_are_in_memory()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();

        var warning = Assert.Single(service.StandardOutput, l => l.Contains("STORAGE: IN-MEMORY", StringComparison.Ordinal));
        Assert.Equal("warn", JsonDocument.Parse(warning).RootElement.GetProperty("log.level").GetString());
    }
}
