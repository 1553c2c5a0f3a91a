using System.Management.Automation.Language;

namespace Company.Service1.Hosting.Tests.Windows;

/// <summary>
/// The scripts under deploy/windows as PowerShell itself parses them. No PowerShell host or Windows machine runs
/// here, so this catches syntax errors; what the scripts do on Windows is checked on a real host (docs/hosting.md).
/// </summary>
public sealed class PowerShellScriptTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(WindowsDeploy, "*.ps1").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    private static string WindowsDeploy => Path.Combine(PublishedService.RepositoryRoot(), "deploy", "windows");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void The_script_parses_without_errors(string script)
    {
        Parser.ParseFile(Path.Combine(WindowsDeploy, script), out _, out var errors);

        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber} {e.Message}"));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void The_script_is_strict_stops_on_errors_and_has_help(string script)
    {
        var ast = Parser.ParseFile(Path.Combine(WindowsDeploy, script), out _, out _);
        var commands = ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: false).Cast<CommandAst>();
        var strict = commands.Any(c => c.GetCommandName() == "Set-StrictMode" && c.Extent.Text.EndsWith("-Version Latest", StringComparison.Ordinal));
        var stops = ast.FindAll(node => node is AssignmentStatementAst a && a.Left.Extent.Text == "$ErrorActionPreference" && a.Right.Extent.Text == "'Stop'", false).Any();
        var help = ast.GetHelpContent();

        Assert.Equal((true, true, true, true), (strict, stops, help?.Synopsis is { Length: > 0 }, help?.Examples.Count > 0));
    }
}
