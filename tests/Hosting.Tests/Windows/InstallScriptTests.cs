using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace Company.Service1.Hosting.Tests.Windows;

/// <summary>
/// What install.ps1 configures must be what docs/hosting.md promises: both are read here (the script through
/// PowerShell's parser, the doc's "What install.ps1 sets" table), so neither can change alone.
/// </summary>
public sealed partial class InstallScriptTests
{
    private static readonly InstallScript Script = InstallScript.Load(Path.Combine(PublishedService.RepositoryRoot(), "deploy", "windows", "install.ps1"));
    private static readonly Dictionary<string, string> Documented = DocumentedSettings();

    [Theory]
    [InlineData("Service name", "Name")]
    [InlineData("Firewall port (TCP, inbound)", "Port")]
    [InlineData("Account", "Account")]
    [InlineData("Event Log source", "EventLogSource")]
    public void The_parameter_default_is_the_documented_one(string setting, string parameter)
    {
        Assert.Equal(Documented[setting], Script.Default(parameter));
    }

    [Theory]
    [InlineData("Start type", "config", "start=")]
    [InlineData("Depends on", "config", "depend=")]
    [InlineData("Account", "config", "obj=")]
    [InlineData("Recovery actions", "failure", "actions=")]
    [InlineData("Failure count reset (seconds)", "failure", "reset=")]
    public void The_service_is_configured_as_documented(string setting, string scCommand, string option)
    {
        Assert.Equal(Documented[setting], Script.ScOption(scCommand, option));
    }

    [Fact]
    public void Recovery_also_covers_exits_with_an_error_code()
    {
        Assert.Equal(Documented["Recovery on non-zero exit (failureflag)"], Script.ScArguments("failureflag")[1]);
    }

    [Fact]
    public void The_firewall_rule_opens_the_port_the_service_listens_on()
    {
        var firewallPort = Script.Resolve(Script.Command("New-NetFirewallRule").Named("LocalPort"));
        var listeningPort = Script.EnvironmentEntry("ASPNETCORE_HTTP_PORTS");

        Assert.Equal((Documented["Firewall port (TCP, inbound)"], Documented["Firewall port (TCP, inbound)"]), (firewallPort, listeningPort));
    }

    [Fact]
    public void The_registered_Event_Log_source_is_the_one_the_service_writes_under()
    {
        var registered = Script.Resolve(Script.Call("CreateEventSource").Arguments[0]);
        var passed = Script.EnvironmentEntry(ServiceManagerIntegration.EventLogSourceKey.Replace(":", "__", StringComparison.Ordinal));

        Assert.Equal((Documented["Event Log source"], Documented["Event Log source"], ServiceManagerIntegration.DefaultEventLogSource),
            (registered, passed, Documented["Event Log source"]));
    }

    /// <summary>The doc's table: first column the setting, second column its value in `code`.</summary>
    private static Dictionary<string, string> DocumentedSettings()
    {
        var doc = File.ReadAllLines(Path.Combine(PublishedService.RepositoryRoot(), "docs", "hosting.md"));
        var start = Array.FindIndex(doc, line => line.StartsWith("### What install.ps1 sets", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/hosting.md has no '### What install.ps1 sets' section");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in doc.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var code = CodeSpan().Match(cells.ElementAtOrDefault(1) ?? "");
            if (code.Success)
            {
                settings[cells[0]] = code.Groups[1].Value;
            }
        }

        return settings;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
