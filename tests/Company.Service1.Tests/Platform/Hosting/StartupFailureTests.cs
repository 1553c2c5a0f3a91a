using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Company.Service1.Tests.Platform.Hosting;

/// <summary>What an operator sees when the service cannot start: one clear line, a non-zero exit, no stack trace.</summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_port_in_use_exits_3_within_2_seconds_with_one_line_naming_the_address()
    {
        using var squatter = new TcpListener(IPAddress.IPv6Any, 0);
        squatter.Server.DualMode = true;
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var clock = Stopwatch.StartNew();
        await using var service = await ServiceProcess.StartAsync(port: port);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var elapsed = clock.Elapsed;

        Assert.Equal(3, exitCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed} to give up");
        var line = Assert.Single(service.StandardError, l => l.Length > 0);
        Assert.Contains($":{port}", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        AssertNoStackTrace(service);
    }

    [Theory]
    [InlineData("Service__Slot", "purple", "Slot")]
    [InlineData("Drain__DelaySeconds", "abc", "Drain:DelaySeconds")]
    [InlineData("Drain__TimeoutSeconds", "0", "TimeoutSeconds")]
    [InlineData("RateLimit__PermitsPerSecond", "-1", "PermitsPerSecond")]
    [InlineData("RateLimit__PermitsPerClientPerSecond", "-1", "PermitsPerClientPerSecond")]
    [InlineData("Limits__MaxRequestBodyBytes", "10", "MaxRequestBodyBytes")]
    //#if (postgres)
    [InlineData("Database__HealthCheckTimeoutMilliseconds", "5000", "HealthCheckTimeoutMilliseconds")]
    //#endif
    [InlineData("Drills__FaultRate", "1.5", "FaultRate")]
    [InlineData("Drills__FaultPathPrefix", "api", "Drills:FaultPathPrefix must be a URL path")]
    [InlineData("Drills__Enabled", "maybe", "Drills:Enabled")]
    [InlineData("Telemetry__SamplingRatio", "1.5", "SamplingRatio")]
    [InlineData("Management__Port", "70000", "Port")]
    [InlineData("Management__Port", "abc", "Management:Port")]
    [InlineData("StatusPage__DashboardUrl", "localhost:18888", "StatusPage:DashboardUrl")]
    public async Task A_bad_setting_exits_2_with_one_line_naming_it(string variable, string value, string named)
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { [variable] = value });

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var line = Assert.Single(service.StandardError, l => l.Length > 0);
        Assert.StartsWith("Invalid configuration:", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        AssertNoStackTrace(service);
    }

    private static void AssertNoStackTrace(ServiceProcess service) =>
        Assert.DoesNotContain(service.StandardOutput.Concat(service.StandardError), l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("\\n   at ", StringComparison.Ordinal));
}
