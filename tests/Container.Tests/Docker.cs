namespace Company.Service1.Container.Tests;

/// <summary>The docker CLI, one command at a time, with a bounded wait.</summary>
public static class Docker
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync("docker", arguments, timeout ?? DefaultTimeout);

    /// <summary>Runs a docker command and returns its trimmed output; throws with the output when it fails.</summary>
    public static async Task<string> CheckedAsync(params string[] arguments) =>
        (await ProcessRunner.RunCheckedAsync("docker", arguments, DefaultTimeout)).Trim();

    public static Task<string> InspectAsync(string target, string format) => CheckedAsync("inspect", "-f", format, target);
}
