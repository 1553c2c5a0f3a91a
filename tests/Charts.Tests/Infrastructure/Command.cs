namespace Charts.Tests.Infrastructure;

/// <summary>Runs helm, kubeconform and friends from the repository root, synchronously for terse test code.</summary>
public static class Command
{
    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync(fileName, arguments, timeout, workingDirectory ?? Repository.Root, environment).GetAwaiter().GetResult();
}
