namespace Charts.Tests.Infrastructure;

/// <summary>
/// The real tools the tests drive. Each comes from an idempotent setup script (also run by scripts/test.sh),
/// so `dotnet test tests/Charts.Tests` works on its own as well.
/// </summary>
public static class Tools
{
    private static readonly Lazy<string> HelmDirectory = new(() =>
    {
        var result = Command.Run(Repository.Script("scripts/setup/helm.sh"), [], TimeSpan.FromMinutes(5));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("scripts/setup/helm.sh failed: " + result.Describe());
        }

        return result.StandardOutput.Trim().Split('\n')[^1];
    });

    private static readonly Lazy<string> TypeScriptCompiler = new(() =>
    {
        var result = Command.Run(Repository.Script("scripts/setup/k8s-schemas.sh"), [], TimeSpan.FromMinutes(5));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("scripts/setup/k8s-schemas.sh failed: " + result.Describe());
        }

        return Path.Combine(Repository.SchemaWorkspace, "node_modules", ".bin", "tsc");
    });

    public static string Helm => Path.Combine(HelmDirectory.Value, "helm");

    public static string Tsc => TypeScriptCompiler.Value;

    public static ProcessResult RunHelm(params string[] arguments) =>
        Command.Run(Helm, arguments, TimeSpan.FromMinutes(2));
}
