using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Company.Service1.Tests.Platform.Aot;

/// <summary>
/// The Native AOT build runs the same contract. Trimming and AOT break things at run time that the compiler
/// cannot see (JSON metadata, reflection), so the essentials are exercised on the real AOT binary.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class NativeAotTests
{
    [Fact]
    public async Task The_aot_binary_serves_the_platform_endpoints_on_postgres_refuses_bad_input_and_drains_on_sigterm()
    {
        var executable = await PublishedService.AotExecutableAsync();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
            ["Service__Slot"] = "green",
            ["Drain__DelaySeconds"] = "1",
            ["Drills__Enabled"] = "true",
        }, executable: executable);
        await service.WaitUntilReadyAsync();

        var version = await service.Client.GetFromJsonAsync<JsonElement>("/version");
        Assert.Equal("green", version.GetProperty("slot").GetString());
        var delay = await service.Client.GetFromJsonAsync<JsonElement>("/delay/5");
        Assert.Equal(5, delay.GetProperty("delayedMs").GetInt32());
        await ProblemAssertions.AssertProblemAsync(await service.Client.GetAsync("/delay/-1"), HttpStatusCode.BadRequest, "malformed-request", "ms");
        await ProblemAssertions.AssertProblemAsync(await service.Client.PostAsync("/faults?rate=abc", null), HttpStatusCode.BadRequest, "malformed-request", "rate");
        var health = JsonDocument.Parse(await service.Client.GetStringAsync("/healthz")).RootElement;
        Assert.Equal("Healthy", health.GetProperty("status").GetString());

        service.Signal(ServiceProcess.SigTerm);
        await service.WaitForStatusAsync("/readyz", 503, TimeSpan.FromSeconds(5));
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task The_aot_binary_reports_a_bad_setting_in_one_line()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { ["Drain__DelaySeconds"] = "abc" },
            executable: await PublishedService.AotExecutableAsync());

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.StartsWith("Invalid configuration:", Assert.Single(service.StandardError, l => l.Length > 0), StringComparison.Ordinal);
    }
}
