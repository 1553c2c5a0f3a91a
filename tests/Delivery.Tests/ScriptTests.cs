using System.Text.RegularExpressions;

namespace Delivery.Tests;

public sealed partial class ScriptTests
{
    public static TheoryData<string> ShellScripts()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Repository.Files("scripts/*.sh", "k8s/*.sh", "deploy/*.sh", ".ci/*"))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public async Task Script_passes_shellcheck(string script)
    {
        // -x follows `source` so sourced helpers are checked in context; run from the root like CI and users do.
        var (exitCode, output) = await ProcessRunner.RunAsync(
            "shellcheck", ["--external-sources", "--shell=bash", script], TimeSpan.FromSeconds(60), Repository.Root);

        Assert.True(exitCode == 0, $"shellcheck findings in {script}:\n{output}");
    }

    [Fact]
    public async Task Shellcheck_reports_an_unquoted_variable()
    {
        var script = Path.Combine(Path.GetTempPath(), $"unquoted-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/usr/bin/env bash\nset -euo pipefail\nrm -rf $1/cache\n");
        try
        {
            var (exitCode, output) = await ProcessRunner.RunAsync("shellcheck", [script], TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exitCode);
            Assert.Contains("SC2086", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void The_delivery_scripts_name_only_committed_executable_scripts()
    {
        // kind-up.sh builds with scripts/images/build.sh, the docs in each header point at their neighbours...
        var committed = Repository.Files("scripts").ToDictionary(f => f.Path, f => f.Mode, StringComparer.Ordinal);
        var named = Repository.Files("scripts/e2e", "scripts/deploy", "scripts/release", "scripts/setup/delivery-tools.sh")
            .SelectMany(f => ScriptPath().Matches(Repository.Read(f.Path)).Select(m => (Script: f.Path, Named: m.Value)))
            .Where(n => !committed.TryGetValue(n.Named, out var mode) || mode != "100755")
            .Select(n => $"{n.Script} names {n.Named}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(named.Count == 0, "missing or not executable:\n" + string.Join('\n', named));
    }

    [Fact]
    public void Every_script_a_user_runs_is_executable_and_starts_with_strict_mode()
    {
        // Sourced helpers (lib.sh) are the exception: they are not run on their own.
        var runnable = Repository.Files("scripts/*.sh", "k8s/*.sh", "deploy/*.sh")
            .Where(f => Path.GetFileName(f.Path) != "lib.sh")
            .ToList();

        Assert.NotEmpty(runnable);
        Assert.All(runnable, f => Assert.True(f.Mode == "100755", $"{f.Path} is not executable"));
        Assert.All(runnable, f => Assert.Contains("set -", Repository.Read(f.Path), StringComparison.Ordinal));
    }

    [GeneratedRegex(@"scripts/[\w./-]+\.sh")]
    private static partial Regex ScriptPath();
}
