using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Company.Service1.Tests.Platform.Configuration;

public sealed class StartupFailureDescriptionTests
{
    [Fact]
    public void Validation_failures_become_one_configuration_line_and_exit_code_2()
    {
        var failure = new OptionsValidationException("Drain", typeof(DrainOptions), ["DelaySeconds must be between 0 and 120.", "second\nline"]);

        using var error = new StringWriter();
        var exitCode = StartupFailure.Report(failure, error);

        Assert.Equal(StartupFailure.ConfigurationExitCode, exitCode);
        Assert.Equal("Invalid configuration: DelaySeconds must be between 0 and 120. second line" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Several_failures_at_once_are_reported_together()
    {
        var failures = new AggregateException(
            new OptionsValidationException("a", typeof(DrainOptions), ["first"]),
            new OptionsValidationException("b", typeof(DrillOptions), ["second"]));

        var (line, exitCode) = StartupFailure.Describe(failures)!.Value;

        Assert.Equal(2, exitCode);
        Assert.Contains("first", line, StringComparison.Ordinal);
        Assert.Contains("second", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bind_failure_is_an_address_problem_with_exit_code_3()
    {
        var failure = new IOException("Failed to bind to address http://[::]:8080: address already in use.", new AddressInUseException("in use"));
        Assert.Equal((failure.Message.Insert(0, "Cannot start: "), 3), StartupFailure.Describe(failure)!.Value);
        var socketFailure = new IOException("bind failed", new SocketException((int)SocketError.AddressAlreadyInUse));
        Assert.Equal(3, StartupFailure.Describe(socketFailure)!.Value.ExitCode);
    }

    [Fact]
    public void Bugs_are_not_reportable_and_keep_their_stack_trace()
    {
        Assert.False(StartupFailure.IsReportable(new FormatException("bug")));
        Assert.Throws<ArgumentException>(() => StartupFailure.Report(new InvalidOperationException("bug")));
    }
}
