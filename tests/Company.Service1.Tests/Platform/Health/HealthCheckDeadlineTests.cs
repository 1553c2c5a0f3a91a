using Company.Service1.Platform.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Tests.Platform.Health;

/// <summary>
/// The hard deadline around a dependency's check, and the reasons /healthz shows: what an operator reads when
/// readiness fails. The database checks run behind this deadline (DatabaseHealthChecksTests has the real hung host).
/// </summary>
public sealed class HealthCheckDeadlineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_check_that_never_answers_fails_at_the_deadline_with_the_registrations_failure_status()
    {
        var check = new TimeBoundHealthCheck(new Hanging(), Deadline, TimeProvider.System);

        var result = await check.CheckHealthAsync(Context(HealthStatus.Degraded)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("no answer within 200 ms", result.Description);
    }

    [Fact]
    public async Task A_check_past_its_deadline_is_told_to_stop()
    {
        var inner = new Waiting();
        // The wait gives up before the token's own timer fires: the order that once left the attempt running.
        var check = new TimeBoundHealthCheck(inner, Deadline, new ImmediateTimers());

        await check.CheckHealthAsync(Context(HealthStatus.Unhealthy)).WaitAsync(TimeSpan.FromSeconds(30));

        // The abandoned attempt sees its token cancelled, so a check that honours it gives its connection back.
        await inner.Cancelled.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_check_that_throws_fails_with_the_exception_type_and_message()
    {
        var check = new TimeBoundHealthCheck(new Throwing(new InvalidOperationException("connection refused")), Deadline, TimeProvider.System);

        var result = await check.CheckHealthAsync(Context(HealthStatus.Unhealthy));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("InvalidOperationException: connection refused", result.Description);
    }

    [Fact]
    public async Task A_check_that_answers_in_time_keeps_its_own_result()
    {
        var check = new TimeBoundHealthCheck(new Answering(HealthCheckResult.Degraded("slow but there")), Deadline, TimeProvider.System);

        var result = await check.CheckHealthAsync(Context(HealthStatus.Unhealthy));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("slow but there", result.Description);
    }

    [Fact]
    public async Task A_probe_the_caller_gives_up_on_is_cancelled_not_reported_as_a_failure()
    {
        var check = new TimeBoundHealthCheck(new Hanging(), TimeSpan.FromSeconds(30), TimeProvider.System);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.CheckHealthAsync(Context(HealthStatus.Unhealthy), caller.Token));
    }

    [Fact]
    public void The_reason_is_the_checks_description_first()
    {
        var entry = Entry(HealthStatus.Unhealthy, "schema behind", new InvalidOperationException("ignored"));

        Assert.Equal("schema behind", HealthReportWriter.Reason(entry));
    }

    [Fact]
    public void Without_a_description_the_reason_is_the_exception_type_and_message()
    {
        var entry = Entry(HealthStatus.Unhealthy, null, new TimeoutException("no answer"));

        Assert.Equal("TimeoutException: no answer", HealthReportWriter.Reason(entry));
    }

    [Fact]
    public void A_failure_without_description_or_exception_still_gets_a_reason_and_a_pass_needs_none()
    {
        Assert.Equal("check timed out or failed without a reason", HealthReportWriter.Reason(Entry(HealthStatus.Unhealthy, null, null)));
        Assert.Equal("check timed out or failed without a reason", HealthReportWriter.Reason(Entry(HealthStatus.Degraded, null, null)));
        Assert.Null(HealthReportWriter.Reason(Entry(HealthStatus.Healthy, null, null)));
    }

    [Theory]
    [InlineData(300, 300)]
    [InlineData(301, 300)]
    [InlineData(5000, 300)]
    [InlineData(299, 299)]
    public void A_long_reason_is_cut_at_300_characters(int length, int shown)
    {
        var description = new string('x', length);

        Assert.Equal(new string('x', shown), HealthReportWriter.Reason(Entry(HealthStatus.Unhealthy, description, null)));
    }

    private static HealthReportEntry Entry(HealthStatus status, string? description, Exception? exception) =>
        new(status, description, TimeSpan.FromMilliseconds(1), exception, data: null);

    private static HealthCheckContext Context(HealthStatus failureStatus) => new()
    {
        Registration = new HealthCheckRegistration("dependency", new Hanging(), failureStatus, tags: null),
    };

    private sealed class Hanging : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            // Ignores the token, as a connection attempt to a host that accepts and never answers does.
            await Task.Delay(Timeout.InfiniteTimeSpan, CancellationToken.None);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class Waiting : IHealthCheck
    {
        private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Cancelled => _cancelled.Task;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var registration = cancellationToken.Register(_cancelled.SetResult);
            await Task.Delay(Timeout.InfiniteTimeSpan, CancellationToken.None);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class ImmediateTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, TimeSpan.Zero, period);
    }

    private sealed class Throwing(Exception exception) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromException<HealthCheckResult>(exception);
    }

    private sealed class Answering(HealthCheckResult result) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(result);
    }
}
