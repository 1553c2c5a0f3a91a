using System.Formats.Tar;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Company.Service1.Container.Tests;

/// <summary>What the built images are, read from their metadata and file systems without running them.</summary>
[Collection(ContainerTests.Name)]
public sealed class ImageTests(ContainerFixture fixture, ITestOutputHelper output)
{
    private readonly ContainerFixture _fixture = fixture;
    private readonly ITestOutputHelper _output = output;

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task The_image_runs_its_binary_as_uid_1654_on_port_8080_and_stops_with_sigterm(string variant)
    {
        var config = await ConfigAsync(ContainerFixture.Image(variant));

        Assert.Equal("1654", config.GetProperty("User").GetString());
        Assert.Equal(["/app/Company.Service1"], Strings(config.GetProperty("Entrypoint")));
        Assert.Equal(["CMD", "/app/Company.Service1", "healthcheck"], Strings(config.GetProperty("Healthcheck").GetProperty("Test")));
        Assert.Equal("SIGTERM", config.GetProperty("StopSignal").GetString());
        Assert.Equal(["8080/tcp", "9464/tcp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", Strings(config.GetProperty("Env")));
    }

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task Version_and_commit_given_to_the_build_are_in_the_labels_and_on_the_version_endpoint(string variant)
    {
        var labels = (await ConfigAsync(ContainerFixture.Image(variant))).GetProperty("Labels");
        await using var container = await RunningContainer.StartAsync(ContainerFixture.Image(variant));
        await container.WaitUntilReadyAsync();
        var version = JsonDocument.Parse(await container.Client.GetStringAsync("/version")).RootElement;

        Assert.Equal(ContainerFixture.Version, labels.GetProperty("org.opencontainers.image.version").GetString());
        Assert.Equal(ContainerFixture.Revision, labels.GetProperty("org.opencontainers.image.revision").GetString());
        Assert.True(labels.TryGetProperty("org.opencontainers.image.source", out _), "no org.opencontainers.image.source label");
        Assert.Equal(ContainerFixture.Version, version.GetProperty("version").GetString());
        Assert.Equal(ContainerFixture.Revision, version.GetProperty("commit").GetString());
    }

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task The_image_is_its_base_image_plus_the_application_files_and_nothing_installed(string variant)
    {
        var image = ContainerFixture.Image(variant);
        var baseImage = (await ConfigAsync(image)).GetProperty("Labels").GetProperty("org.opencontainers.image.base.name").GetString()!;
        var layers = await LayersAsync(image);
        var baseLayers = await LayersAsync(baseImage);
        var history = await HistoryAsync(image);
        // `docker history` lists newest first: the entries above the base's are what the final stage added.
        var added = history.Take(history.Count - (await HistoryAsync(baseImage)).Count).ToList();
        var imageSize = long.Parse(await Docker.CheckedAsync("image", "inspect", "-f", "{{.Size}}", image), CultureInfo.InvariantCulture);
        var baseSize = long.Parse(await Docker.CheckedAsync("image", "inspect", "-f", "{{.Size}}", baseImage), CultureInfo.InvariantCulture);
        var appLayer = added.Single(entry => entry.CreatedBy.Contains("COPY", StringComparison.Ordinal));
        _output.WriteLine($"{variant}: image {Megabytes(imageSize)}, base {baseImage} {Megabytes(baseSize)}, application layer {appLayer.Size}");

        Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
        Assert.InRange(layers.Count - baseLayers.Count, 1, 2); // the COPY of the published app (and WORKDIR's folder)
        Assert.DoesNotContain(added, entry => entry.CreatedBy.StartsWith("RUN", StringComparison.Ordinal)
            || (entry.CreatedBy.StartsWith("/bin/sh -c", StringComparison.Ordinal) && !entry.CreatedBy.Contains("#(nop)", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task The_image_has_no_shell_package_manager_sources_tests_or_symbols(string variant)
    {
        var files = await FilesAsync(ContainerFixture.Image(variant));

        Assert.Contains("app/Company.Service1", files);
        Assert.DoesNotContain(files, f => f is "bin/sh" or "usr/bin/sh" or "bin/bash" or "usr/bin/bash" or "usr/bin/dash");
        Assert.DoesNotContain(files, f => f.EndsWith("bin/apt", StringComparison.Ordinal) || f.EndsWith("bin/dpkg", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.StartsWith("app/", StringComparison.Ordinal)
            && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.Contains("Tests", StringComparison.Ordinal)
                || f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith(".dbg", StringComparison.Ordinal)));
    }

    private static async Task<JsonElement> ConfigAsync(string image) =>
        JsonDocument.Parse(await Docker.CheckedAsync("image", "inspect", "-f", "{{json .Config}}", image)).RootElement;

    private static async Task<List<string>> LayersAsync(string image) =>
        Strings(JsonDocument.Parse(await Docker.CheckedAsync("image", "inspect", "-f", "{{json .RootFS.Layers}}", image)).RootElement);

    private static async Task<List<(string Size, string CreatedBy)>> HistoryAsync(string image) =>
        [.. (await Docker.CheckedAsync("history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", image))
            .Split('\n').Select(line => line.Split('\t', 2)).Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""))];

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string Megabytes(long bytes) => $"{bytes / 1_000_000.0:0.0} MB";

    /// <summary>Every path in the image's file system (from `docker export` of a created, never started container).</summary>
    private static async Task<HashSet<string>> FilesAsync(string image)
    {
        var id = await Docker.CheckedAsync("create", image);
        var archive = Path.Combine(Path.GetTempPath(), $"image-{Guid.NewGuid():N}.tar");
        try
        {
            await Docker.CheckedAsync("export", "-o", archive, id);
            var files = new HashSet<string>(StringComparer.Ordinal);
            await using var stream = File.OpenRead(archive);
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                files.Add(entry.Name.TrimStart('.', '/').TrimEnd('/'));
            }

            return files;
        }
        finally
        {
            await Docker.RunAsync(["rm", id]);
            File.Delete(archive);
        }
    }
}
