using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Hosting;

/// <summary>
/// Turns the failures an operator can fix (bad configuration, port in use) into ONE line on stderr and a
/// non-zero exit code, instead of a stack trace. Anything else is a bug and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    public const int ConfigurationExitCode = 2;
    public const int AddressInUseExitCode = 3;

    public static bool IsReportable(Exception exception) => Describe(exception) is not null;

    public static int Report(Exception exception, TextWriter? error = null)
    {
        var (line, exitCode) = Describe(exception) ?? throw new ArgumentException("Not a reportable startup failure.", nameof(exception));
        (error ?? Console.Error).WriteLine(line);
        return exitCode;
    }

    internal static (string Line, int ExitCode)? Describe(Exception exception) => exception switch
    {
        OptionsValidationException e => ($"Invalid configuration: {OneLine(string.Join(" ", e.Failures))}", ConfigurationExitCode),
        AggregateException e when e.InnerExceptions.Count > 0 && e.InnerExceptions.All(IsReportable) =>
            (string.Join(" ", e.InnerExceptions.Select(inner => Describe(inner)!.Value.Line)), Describe(e.InnerExceptions[0])!.Value.ExitCode),
        // Configuration binding reports an unconvertible value this way (e.g. "abc" for a number).
        InvalidOperationException e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            ($"Invalid configuration: {OneLine(e.Message)}", ConfigurationExitCode),
        ConfigurationException e => ($"Invalid configuration: {OneLine(e.Message)}", ConfigurationExitCode),
        IOException { InnerException: AddressInUseException } e => ($"Cannot start: {OneLine(e.Message)}", AddressInUseExitCode),
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } e =>
            ($"Cannot start: {OneLine(e.Message)}", AddressInUseExitCode),
        _ => null,
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
