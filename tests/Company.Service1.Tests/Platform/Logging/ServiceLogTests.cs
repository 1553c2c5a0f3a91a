using System.Text.Json;
using System.Text.RegularExpressions;

namespace Company.Service1.Tests.Platform.Logging;

/// <summary>What the published binary writes to stdout: ECS JSON lines for collectors, readable lines for a person.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed partial class ServiceLogTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

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

    [Fact]
    public async Task In_development_a_pipe_still_gets_ecs_json()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        await service.WaitUntilReadyAsync();
        await GetVersionTracedAsync(service.Client);

        await UntilAsync(() => service.StandardOutput.Any(line => line.Contains("responded 200", StringComparison.Ordinal)),
            "the completion line is written");
        Assert.All(service.StandardOutput, line => Assert.Equal("Development", JsonDocument.Parse(line).RootElement.GetProperty("service.environment").GetString()));
    }

    [Fact]
    public async Task The_text_format_forced_on_a_pipe_writes_one_readable_line_per_event_with_its_trace_id()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { ["Logging__Format"] = "text" });
        await service.WaitUntilReadyAsync();
        await GetVersionTracedAsync(service.Client);

        await UntilAsync(() => service.StandardOutput.Any(line => CompletionLine().IsMatch(line)),
            "a readable completion line with the request's trace id");
        Assert.Contains(service.StandardOutput, line => ReadableLine().IsMatch(line) && line.Contains("INF Now listening on: http://", StringComparison.Ordinal));
        Assert.DoesNotContain(service.StandardOutput, line => line.StartsWith('{'));
    }

    [Fact]
    public async Task In_development_a_terminal_gets_readable_lines()
    {
        // script(1) runs the service with a pseudo-terminal as its stdout, as a developer's shell does.
        var executable = await PublishedService.ExecutableAsync();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            arguments: ["-qec", executable, "/dev/null"], executable: "/usr/bin/script", workingDirectory: Path.GetDirectoryName(executable));
        await service.WaitUntilReadyAsync();
        await GetVersionTracedAsync(service.Client);

        await UntilAsync(() => service.StandardOutput.Select(Plain).Any(line => CompletionLine().IsMatch(line)),
            "a readable completion line on the terminal");
        Assert.DoesNotContain(service.StandardOutput, line => Plain(line).StartsWith('{'));
    }

    private static async Task GetVersionTracedAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.Add("traceparent", TraceParent);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>Lines reach stdout from a background writer (within 20 ms unless the machine is loaded).</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }

    /// <summary>The line as a person reads it: without the terminal's colour codes and carriage returns.</summary>
    private static string Plain(string line) => AnsiEscape().Replace(line, "").TrimEnd('\r');

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (VRB|DBG|INF|WRN|ERR|FTL) \S")]
    private static partial Regex ReadableLine();

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} INF HTTP GET /version responded 200 0af7651916cd43dd8448eb211c80319c$")]
    private static partial Regex CompletionLine();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z=]|\x1b[=>]")]
    private static partial Regex AnsiEscape();
}
