using System.Diagnostics;

namespace Delivery.Tests;

/// <summary>
/// scripts/leftover-processes.sh, which scripts/test.sh runs after the tests: a service binary still running from the
/// temp folder fails the run, naming it. The stand-in is a copy of sleep under the service's binary name, which is
/// what the script matches on (its path and name), so no publish is needed.
/// </summary>
public sealed class LeftoverProcessesScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("company-service1-copy-").FullName;
    private Process? _process;

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_service_copy_left_running_fails_the_guard_and_is_named_until_it_stops()
    {
        var binary = Path.Combine(_directory, "Company.Service1");
        File.Copy("/bin/sleep", binary);
        _process = Process.Start(binary, "300");

        var (exitCode, output) = await Guard();
        Assert.Equal(1, exitCode);
        Assert.Contains($"{_process.Id} {binary}", output, StringComparison.Ordinal);

        _process.Kill();
        await _process.WaitForExitAsync();
        // Other tests may run services alongside, so only this copy's absence is asserted once it has stopped.
        Assert.DoesNotContain(binary, (await Guard()).Output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> Guard() =>
        ProcessRunner.RunAsync(Repository.PathOf("scripts/leftover-processes.sh"), [], TimeSpan.FromSeconds(30));
}
