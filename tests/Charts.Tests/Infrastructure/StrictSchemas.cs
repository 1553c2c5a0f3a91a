using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Charts.Tests.Infrastructure;

/// <summary>
/// Strict validation of manifests against the published API types (npm kubernetes-models and its Istio, Argo
/// Rollouts, Gateway API and prometheus-operator siblings). Their runtime validate() ignores unknown fields, so each
/// object is written as `const o: IDeployment = {...};` and type-checked with `tsc --strict`: TypeScript's
/// excess-property check rejects any field the type does not declare (a misspelled `readinesProbe` fails), and
/// the declared types reject wrong value types and enum values. All sets are checked in ONE compiler run.
/// </summary>
public static partial class StrictSchemas
{
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["networking.istio.io"] = "@kubernetes-models/istio/networking.istio.io",
        ["security.istio.io"] = "@kubernetes-models/istio/security.istio.io",
        ["monitoring.coreos.com"] = "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
        ["argoproj.io"] = "@kubernetes-models/argo-rollouts/argoproj.io",
        ["gateway.networking.k8s.io"] = "@kubernetes-models/gateway-api/gateway.networking.k8s.io",
    };

    /// <summary>The module that declares an apiVersion/kind, or null when no schema is known for it.</summary>
    public static string? ModuleFor(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        if (slash < 0)
        {
            return $"kubernetes-models/{apiVersion}/{kind}";
        }

        var group = apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        if (Packages.TryGetValue(group, out var package))
        {
            return $"{package}/{version}/{kind}";
        }

        return group.Contains('.', StringComparison.Ordinal) && !group.EndsWith(".k8s.io", StringComparison.Ordinal)
            ? null
            : $"kubernetes-models/{group}/{version}/{kind}";
    }

    /// <summary>Validates named sets of manifests; returns the compiler's complaints per set (empty: valid).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Validate(IReadOnlyDictionary<string, IReadOnlyList<Manifest>> sets)
    {
        // Installs the schemas first: the existence check below would otherwise see an empty node_modules on a
        // fresh clone and report every object as having no schema.
        var tsc = Tools.Tsc;
        var workspace = Path.Combine(Repository.SchemaWorkspace, "checks");
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }

        Directory.CreateDirectory(workspace);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, List<Manifest>>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (name, manifests) in sets)
        {
            errors[name] = [];
            var file = $"set{index++}.ts";
            files[file] = name;
            lines[file] = [];
            var source = new StringBuilder();
            var imports = new SortedSet<string>(StringComparer.Ordinal);
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            var body = new StringBuilder();
            var objectIndex = 0;
            foreach (var manifest in manifests)
            {
                var module = ModuleFor(manifest.ApiVersion, manifest.Kind);
                if (module is null || !File.Exists(Path.Combine(Repository.SchemaWorkspace, "node_modules", module + ".d.ts")))
                {
                    errors[name].Add($"{manifest}: no schema for apiVersion {manifest.ApiVersion} kind {manifest.Kind}");
                    continue;
                }

                if (!aliases.TryGetValue(module, out var alias))
                {
                    alias = $"T{aliases.Count}_{manifest.Kind}";
                    aliases[module] = alias;
                }

                imports.Add($"import type {{ I{manifest.Kind} as {alias} }} from \"{module}\";");
                // One object per line, so a compiler error's line number names the object.
                body.Append($"export const o{objectIndex++}: {alias} = ")
                    .Append(manifest.Body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }))
                    .Append(";\n");
                lines[file].Add(manifest);
            }

            foreach (var import in imports)
            {
                source.Append(import).Append('\n');
            }

            var headerLines = imports.Count;
            lines[file].InsertRange(0, Enumerable.Repeat<Manifest>(null!, headerLines));
            source.Append(body);
            File.WriteAllText(Path.Combine(workspace, file), source.ToString());
        }

        var result = Command.Run(
            tsc,
            ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext",
             "--target", "es2022", "--pretty", "false", .. files.Keys.Select(f => Path.Combine("checks", f))],
            TimeSpan.FromMinutes(5),
            Repository.SchemaWorkspace);

        foreach (var line in (result.StandardOutput + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = ErrorLine().Match(line);
            if (!match.Success || !files.TryGetValue(match.Groups["file"].Value, out var set))
            {
                if (line.Contains("error", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var list in errors.Values)
                    {
                        list.Add("tsc: " + line);
                    }
                }

                continue;
            }

            var lineNumber = int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var objects = lines[match.Groups["file"].Value];
            var manifest = lineNumber - 1 < objects.Count ? objects[lineNumber - 1] : null;
            errors[set].Add($"{manifest?.ToString() ?? "(imports)"}: {match.Groups["message"].Value}");
        }

        if (!result.Succeeded && errors.Values.All(e => e.Count == 0))
        {
            throw new InvalidOperationException("tsc failed without reporting an error: " + result.Describe());
        }

        return errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^checks/(?<file>set\d+\.ts)\((?<line>\d+),\d+\): error (?<message>.*)$")]
    private static partial Regex ErrorLine();
}
