using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Logging;

/// <summary>
/// The published service's log levels follow its appsettings.json as the file changes, without a restart. The
/// service reads appsettings.json from its own folder, so the test runs a private copy of the published output.
/// Cleanup is IAsyncLifetime because xunit 2 never calls IAsyncDisposable on a test class: the copy would outlive
/// the run, passing or failing.
/// </summary>
[Trait("Category", "Process")]
public sealed class LogLevelReloadTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("company-service1-copy-").FullName;
    private readonly ConcurrentQueue<string> _stdout = new();
    private Process? _process;

    [Fact]
    public async Task Raising_a_namespace_level_in_appsettings_json_takes_effect_without_a_restart()
    {
        var port = await StartCopyAsync(requestLevel: "Warning");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.HoldsAsync(() => Status(client, "/readyz") == 200, "the service is ready", TimeSpan.FromSeconds(30));
        var before = $"/no-such-path/{Guid.NewGuid()}";
        var after = $"/no-such-path/{Guid.NewGuid()}";
        Assert.Equal(404, Status(client, before));

        await WriteSettingsAsync(requestLevel: "Information");

        // The file watcher picks the change up within moments; requests keep coming until the line shows.
        await Eventually.HoldsAsync(() => Status(client, after) == 404 && CompletionPaths().Contains(after),
            "request-completion lines appear after the level is raised", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(before, CompletionPaths());
        Assert.False(_process!.HasExited);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<int> StartCopyAsync(string requestLevel)
    {
        var published = await PublishedService.DirectoryAsync();
        foreach (var file in Directory.GetFiles(published, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder, Path.GetRelativePath(published, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await WriteSettingsAsync(requestLevel);
        var port = FreePort.Next();
        var info = new ProcessStartInfo(Path.Combine(_folder, "Company.Service1"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        info.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["Management__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["Authentication__Disabled"] = "true";
        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the service copy.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _stdout.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return port;
    }

    private Task WriteSettingsAsync(string requestLevel) => File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), $$"""
        {
          "Logging": {
            "LogLevel": {
              "Default": "Information",
              "Microsoft.AspNetCore": "Warning",
              "Company.Service1.Http": "{{requestLevel}}"
            }
          }
        }
        """);

    private static int? Status(HttpClient client, string path)
    {
        try
        {
            using var response = client.GetAsync(path).GetAwaiter().GetResult();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private List<string> CompletionPaths() =>
        [.. _stdout
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(json => json.TryGetProperty("event.action", out var action) && action.GetString() == "RequestCompleted")
            .Select(json => json.GetProperty("url.path").GetString()!)];
}
