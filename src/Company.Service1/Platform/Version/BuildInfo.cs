using System.Reflection;

namespace Company.Service1.Platform.Version;

/// <summary>What is running: the version and commit stamped at build time, and the configured slot.</summary>
public sealed record BuildInfo(string Version, string Commit, string Slot)
{
    /// <summary>
    /// This binary's version and commit, read once; the slot is the default one (<c>/version</c> answers with the
    /// configured slot, see <see cref="VersionEndpoints.AddBuildInfo"/>).
    /// </summary>
    public static BuildInfo Stamped { get; } = Read(typeof(BuildInfo).Assembly, new ServiceOptions().Slot);

    private static BuildInfo Read(Assembly assembly, string slot)
    {
        // The SDK stamps "<Version>+<SourceRevisionId>" (pass -p:SourceRevisionId=$(git rev-parse HEAD) at publish).
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new BuildInfo(informational, "unknown", slot)
            : new BuildInfo(informational[..plus], informational[(plus + 1)..], slot);
    }
}
