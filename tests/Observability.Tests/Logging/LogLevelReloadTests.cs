using System.Text.Json;
using Observability.Tests.Infrastructure;
using Service.Testing;

namespace Observability.Tests.Logging;

/// <summary>The published service's log levels follow appsettings.json as it changes, without a restart.</summary>
public sealed class LogLevelReloadTests : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("service-content-").FullName;

    [Fact]
    public async Task Raising_a_namespace_level_in_appsettings_json_takes_effect_without_a_restart()
    {
        await WriteSettingsAsync(requestLevel: "Warning");
        await using var service = await ServiceProcess.StartAsync(arguments: ["--contentRoot", _contentRoot]);
        await service.WaitUntilReadyAsync();
        var before = $"/api/v1/todos/{Guid.NewGuid()}";
        var after = $"/api/v1/todos/{Guid.NewGuid()}";
        using (await service.Client.GetAsync(before))
        {
        }

        await WriteSettingsAsync(requestLevel: "Information");

        // The file watcher picks the change up within moments; requests keep coming until the line shows.
        await Eventually.HoldsAsync(() =>
        {
            using (service.Client.GetAsync(after).GetAwaiter().GetResult())
            {
            }

            return CompletionPaths(service).Contains(after);
        }, "request-completion lines appear after the level is raised", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(before, CompletionPaths(service));
        Assert.False(service.HasExited);
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    private Task WriteSettingsAsync(string requestLevel) => File.WriteAllTextAsync(Path.Combine(_contentRoot, "appsettings.json"), $$"""
        {
          "Logging": {
            "LogLevel": {
              "Default": "Information",
              "Microsoft.AspNetCore": "Warning",
              "Service.Http": "{{requestLevel}}"
            }
          }
        }
        """);

    private static List<string> CompletionPaths(ServiceProcess service) =>
        [.. service.StandardOutput
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(json => json.TryGetProperty("event.action", out var action) && action.GetString() == "RequestCompleted")
            .Select(json => json.GetProperty("url.path").GetString()!)];
}
