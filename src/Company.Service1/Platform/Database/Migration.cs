using System.Globalization;
using System.Reflection;

namespace Company.Service1.Platform.Database;

/// <summary>One versioned SQL script, embedded in the binary as <c>Migrations.NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    private const string Prefix = "Migrations.";

    /// <summary>Every embedded migration, oldest first.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load(typeof(Migration).Assembly);

    public static int LatestVersion => All.Count == 0 ? 0 : All[^1].Version;

    internal static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[Prefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations;
    }
}
