using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace Company.Service1.Tests.Platform.Version;

public sealed class VersionEndpointsTests
{
    [Fact]
    public async Task Version_reports_the_build_and_the_configured_slot()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Service:Slot"] = "green" });

        var body = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/version");

        Assert.Equal("green", body.GetProperty("slot").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", body.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("commit").GetString()));
    }

    [Fact]
    public void The_commit_is_read_from_the_informational_version()
    {
        var info = BuildInfo.Stamped;
        var informational = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.StartsWith(info.Version, informational, StringComparison.Ordinal);
        Assert.Equal(informational.Contains('+', StringComparison.Ordinal) ? informational[(informational.IndexOf('+', StringComparison.Ordinal) + 1)..] : "unknown", info.Commit);
    }
}
