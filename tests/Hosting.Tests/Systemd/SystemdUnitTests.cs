using System.Globalization;

namespace Company.Service1.Hosting.Tests.Systemd;

/// <summary>deploy/systemd/company-service1.service as systemd itself reads it (systemd-analyze), and its stop budget.</summary>
public sealed class SystemdUnitTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private static string Deploy(string file) => Path.Combine(PublishedService.RepositoryRoot(), "deploy", "systemd", file);

    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_without_a_single_complaint()
    {
        // verify also checks that ExecStart is an executable: point the committed unit at the published binary.
        var directory = await PublishedService.DirectoryAsync();
        var unit = (await File.ReadAllTextAsync(Deploy("company-service1.service")))
            .Replace("ExecStart=/opt/company-service1/Company.Service1", $"ExecStart={Path.Combine(directory, "Company.Service1")}", StringComparison.Ordinal)
            .Replace("WorkingDirectory=/opt/company-service1", $"WorkingDirectory={directory}", StringComparison.Ordinal);
        var rendered = Directory.CreateTempSubdirectory("unit-");
        try
        {
            var path = Path.Combine(rendered.FullName, "company-service1.service");
            await File.WriteAllTextAsync(path, unit);

            var (exitCode, output) = await ProcessRunner.RunAsync("systemd-analyze", ["verify", path], ToolTimeout);

            // Unknown or misspelt keys are only warnings (exit code 0), so the output must be empty too.
            Assert.Equal((0, ""), (exitCode, output.Trim()));
        }
        finally
        {
            rendered.Delete(recursive: true);
        }
    }

    [Fact]
    public void TimeoutStopSec_leaves_room_for_the_default_drain_budget()
    {
        var drain = new DrainOptions();
        var budget = drain.DelaySeconds + drain.TimeoutSeconds;

        var timeoutStop = int.Parse(UnitValue("TimeoutStopSec"), CultureInfo.InvariantCulture);

        // Above delay + timeout with a margin for flushing logs, or systemd sends SIGKILL mid-drain.
        Assert.True(timeoutStop >= budget + 5, $"TimeoutStopSec={timeoutStop} but the drain takes up to {budget} s");
    }

    [Fact]
    public async Task The_install_script_is_shellcheck_clean()
    {
        var (exitCode, output) = await ProcessRunner.RunAsync("shellcheck", [Deploy("install.sh")], ToolTimeout);

        Assert.True(exitCode == 0, output);
    }

    private static string UnitValue(string key) =>
        File.ReadLines(Deploy("company-service1.service"))
            .Where(line => line.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(line => line[(key.Length + 1)..])
            .Single();
}
