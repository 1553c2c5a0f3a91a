using System.Globalization;

namespace Delivery.Tests;

/// <summary>
/// e2e_page_screenshot (scripts/e2e/lib.sh), which the kind e2e runs before and after the switch, with a stand-in
/// kubectl whose port-forward serves the published service in one slot: the page is saved and must show the slot
/// the switch expects. Debian's Chromium takes the screenshot, as GitHub's Chrome does in the workflow.
/// </summary>
public sealed class E2ePageScreenshotTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("e2e-page-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_page_of_the_active_slot_is_saved()
    {
        var (exitCode, output) = await ScreenshotAsync(served: "green", expected: "green");

        Assert.True(exitCode == 0, output);
        var png = await File.ReadAllBytesAsync(Path.Combine(_directory, "artifacts", "status-page-after-switch.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task A_page_that_shows_the_other_slot_fails_the_step()
    {
        var (exitCode, output) = await ScreenshotAsync(served: "blue", expected: "green");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("the status page (after-switch) does not show the green slot", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> ScreenshotAsync(string served, string expected)
    {
        if (!File.Exists("/usr/bin/chromium"))
        {
            await ProcessRunner.RunCheckedAsync(Path.Combine(Repository.Root, "scripts", "setup", "browser.sh"), [], TimeSpan.FromMinutes(10));
        }

        var service = await PublishedService.ExecutableAsync();
        var kubectl = Path.Combine(_directory, "kubectl");
        // port-forward LOCAL:8080 becomes the service itself on LOCAL, exec'd so the function's kill reaches it.
        await File.WriteAllTextAsync(kubectl, $$"""
            #!/usr/bin/env bash
            set -euo pipefail
            for arg in "$@"; do [[ $arg == *:8080 ]] && port=${arg%%:*}; done
            export ASPNETCORE_HTTP_PORTS=$port Management__Port={{FreePort.Next()}} Service__Slot={{served}}
            export ASPNETCORE_ENVIRONMENT=Production Authentication__Disabled=true Drain__DelaySeconds=0
            exec '{{service}}'
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return await ProcessRunner.RunAsync(
            "env",
            [$"KUBECTL={kubectl}", $"E2E_ARTIFACTS={_directory}/artifacts", "E2E_BROWSER=/usr/bin/chromium",
             $"E2E_PAGE_PORT={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
             "bash", "-c", $"source scripts/e2e/lib.sh && e2e_page_screenshot after-switch {expected}"],
            TimeSpan.FromMinutes(2),
            Repository.Root);
    }
}
