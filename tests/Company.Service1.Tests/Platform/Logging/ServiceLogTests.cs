using System.Text.Json;

namespace Company.Service1.Tests.Platform.Logging;

/// <summary>What the published binary writes to stdout: ECS JSON lines, and no line per request.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class ServiceLogTests
{
    [Fact]
    public async Task Every_line_on_stdout_is_an_ecs_json_entry_naming_the_service()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();

        Assert.NotEmpty(service.StandardOutput);
        Assert.All(service.StandardOutput, line =>
        {
            var entry = JsonDocument.Parse(line).RootElement;
            Assert.True(entry.TryGetProperty("@timestamp", out _), line);
            Assert.True(entry.TryGetProperty("message", out _), line);
            Assert.Equal("company-service1", entry.GetProperty("service.name").GetString());
        });
    }

    [Fact]
    public async Task Started_from_another_directory_it_still_reads_its_settings_and_logs_no_line_per_request()
    {
        await using var service = await ServiceProcess.StartAsync(workingDirectory: Path.GetTempPath());
        await service.WaitUntilReadyAsync();

        for (var i = 0; i < 5; i++)
        {
            (await service.Client.GetAsync("/version")).EnsureSuccessStatusCode();
        }

        Assert.DoesNotContain(service.StandardOutput, l => l.Contains("\"log.logger\":\"Microsoft.AspNetCore.Hosting.Diagnostics\"", StringComparison.Ordinal));
    }
}
