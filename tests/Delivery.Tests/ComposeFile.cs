using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

/// <summary>docker-compose.yml as docker-compose itself resolves it (`docker-compose config`): anchors expanded,
/// bind mounts as absolute host paths.</summary>
public sealed class ComposeFile
{
    public ComposeFile()
    {
        (ConfigExitCode, ConfigOutput) = ProcessRunner.RunAsync(
            "docker-compose", ["--file", "docker-compose.yml", "config"], TimeSpan.FromSeconds(60), Repository.Root).GetAwaiter().GetResult();
        Resolved = ConfigExitCode == 0 ? Yaml.Parse(ConfigOutput) : new YamlMappingNode();
    }

    public int ConfigExitCode { get; }

    public string ConfigOutput { get; }

    public YamlMappingNode Resolved { get; }

    public YamlMappingNode Service(string name) => Resolved.Map("services").Map(name);

    public IEnumerable<string> ServiceNames => Resolved.Map("services").Entries().Select(e => e.Key);

    public IReadOnlyDictionary<string, string> Environment(string service) =>
        Service(service).Get("environment").Entries().ToDictionary(e => e.Key, e => e.Value.ToString(), StringComparer.Ordinal);

    /// <summary>Bind mounts of a service: host path -> container path.</summary>
    public IReadOnlyList<(string Host, string Container)> BindMounts(string service) =>
        [.. Service(service).Items("volumes")
            .Select(v => v.ToString().Split(':'))
            .Where(parts => parts[0].StartsWith('/'))
            .Select(parts => (parts[0], parts[1]))];

    /// <summary>Host path mounted at a container path of a service.</summary>
    public string HostPathOf(string service, string containerPath) =>
        BindMounts(service).Single(m => m.Container == containerPath).Host;

    /// <summary>Published container ports of a service ("127.0.0.1:8080:8080/tcp" -> (127.0.0.1, 8080)).</summary>
    public IReadOnlyList<(string HostIp, int ContainerPort)> PublishedPorts(string service) =>
        [.. Service(service).Items("ports")
            .Select(p => p.ToString().Split('/')[0].Split(':'))
            .Select(parts => (parts.Length == 3 ? parts[0] : "", int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture)))];
}
