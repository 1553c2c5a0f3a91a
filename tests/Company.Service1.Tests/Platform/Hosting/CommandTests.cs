namespace Company.Service1.Tests.Platform.Hosting;

/// <summary>The binary's `healthcheck` command (Docker HEALTHCHECK).</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class CommandTests
{
    [Fact]
    public async Task Healthcheck_exits_0_against_a_live_instance_1_against_a_dead_one_and_2_for_a_bad_url()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();

        Assert.Equal(0, await RunHealthcheckAsync($"{service.BaseAddress}livez"));
        Assert.Equal(1, await RunHealthcheckAsync($"http://127.0.0.1:{FreePort.Next()}/livez"));
        Assert.Equal(2, await RunHealthcheckAsync("not a url"));
    }

    [Fact]
    public async Task Healthcheck_without_arguments_probes_the_configured_port()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.WaitUntilReadyAsync();

        await using var probe = await ServiceProcess.StartAsync(arguments: ["healthcheck"], port: service.Port);
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    private static async Task<int> RunHealthcheckAsync(string url)
    {
        await using var probe = await ServiceProcess.StartAsync(arguments: ["healthcheck", url]);
        return await probe.WaitForExitAsync(TimeSpan.FromSeconds(15));
    }
}
