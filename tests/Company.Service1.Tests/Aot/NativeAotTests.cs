using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Company.Service1.Testing;
using Company.Service1.Tests.Infrastructure;

namespace Company.Service1.Tests.Aot;

/// <summary>
/// The Native AOT build runs the same contract. Trimming and AOT break things at run time that the compiler
/// cannot see (JSON metadata, reflection), so the essentials are exercised on the real AOT binary.
/// </summary>
[Collection(ProcessTests.Collection)]
public sealed class NativeAotTests
{
    [Fact]
    public async Task The_aot_binary_serves_the_api_on_postgres_refuses_bad_input_and_drains_on_sigterm()
    {
        var executable = await PublishedService.AotExecutableAsync();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = await SharedPostgres.CreateDatabaseAsync(),
            ["Database__MigrateOnStartup"] = "true",
            ["Service__Slot"] = "green",
            ["Drain__DelaySeconds"] = "1",
        }, executable: executable);
        await service.WaitUntilReadyAsync();

        var version = await service.Client.GetFromJsonAsync<JsonElement>("/version");
        Assert.Equal("green", version.GetProperty("slot").GetString());
        var created = await service.Client.PostAsJsonAsync("/api/v1/todos", new { title = "native" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var page = await service.Client.GetFromJsonAsync<JsonElement>("/api/v1/todos");
        Assert.Equal("native", page.GetProperty("items")[0].GetProperty("title").GetString());
        using var bad = new StringContent("""{"title":5}""", System.Text.Encoding.UTF8, "application/json");
        await ProblemAssertions.AssertProblemAsync(await service.Client.PostAsync("/api/v1/todos", bad), HttpStatusCode.BadRequest, "malformed-request", "title");
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
