namespace Company.Service1.Container.Tests;

/// <summary>
/// The `docker run` flags that match the Helm chart's pod security settings: read-only root filesystem with a
/// tmpfs /tmp, every capability dropped, no privilege escalation, the non-root uid, host network on 127.0.0.1.
/// </summary>
public static class HardenedRun
{
    public const string Uid = "1654";

    public static IReadOnlyList<string> Flags { get; } =
    [
        "--network", "host",
        "--read-only",
        "--tmpfs", "/tmp",
        "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges",
        "--user", Uid,
    ];
}
