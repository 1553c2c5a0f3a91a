using System.Globalization;

namespace Company.Service1.Container.Tests;

/// <summary>The images under the chart's pod security settings: read-only, no capabilities, non-root.</summary>
[Collection(ContainerTests.Name)]
public sealed class HardeningTests(ContainerFixture fixture)
{
    private readonly ContainerFixture _fixture = fixture;

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task Liveness_and_readiness_answer_200_under_the_chart_security_settings(string variant)
    {
        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant));

        await container.WaitUntilReadyAsync();
        using var live = await container.Client.GetAsync("/livez");

        Assert.Equal(200, (int)live.StatusCode);
    }

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task The_service_process_runs_as_uid_1654_with_no_capabilities_and_no_new_privileges(string variant)
    {
        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant));
        await container.WaitUntilReadyAsync();

        // The container's main process seen from the host: no exec into the (shell-less) container needed.
        var status = await File.ReadAllLinesAsync($"/proc/{await container.MainProcessIdAsync()}/status");
        string Field(string name) => status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

        Assert.Equal(["1654", "1654", "1654", "1654"], Field("Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["1654", "1654", "1654", "1654"], Field("Gid").Split('\t', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0UL, ulong.Parse(Field("CapEff"), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(0UL, ulong.Parse(Field("CapPrm"), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal("1", Field("NoNewPrivs"));
    }

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task Serving_requests_writes_nothing_outside_tmp(string variant)
    {
        // Without --read-only (but with the tmpfs /tmp), so a write anywhere else would succeed and show in
        // `docker diff` instead of being refused: proof that --read-only costs the service nothing.
        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant), readOnlyRootFilesystem: false);
        await container.WaitUntilReadyAsync();
        //#if (sample)
        using var created = await container.Client.PostAsync("/api/v1/todos", Json("""{"title":"written to memory only"}"""));
        Assert.Equal(201, (int)created.StatusCode);
        using var listed = await container.Client.GetAsync("/api/v1/todos");
        //#endif
        foreach (var path in new[] { "/livez", "/healthz", "/version", "/no-such-path" })
        {
            using var response = await container.Client.GetAsync(path);
        }

        var diff = await Docker.CheckedAsync("diff", container.Id);

        Assert.Equal("", diff);
    }

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task Docker_reports_the_container_healthy_through_the_binary_healthcheck(string variant)
    {
        // The image's own HEALTHCHECK command, probed every second instead of every 10 s to keep the test short.
        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant), dockerFlags: ["--health-interval", "1s"]);

        var status = "";
        for (var attempt = 0; attempt < 150 && status != "healthy"; attempt++)
        {
            status = await Docker.InspectAsync(container.Id, "{{.State.Health.Status}}");
            if (status != "healthy")
            {
                await Task.Delay(200);
            }
        }

        Assert.True(status == "healthy", $"health status '{status}' after 30 s:\n{await Docker.InspectAsync(container.Id, "{{json .State.Health}}")}");
    }

    internal static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
