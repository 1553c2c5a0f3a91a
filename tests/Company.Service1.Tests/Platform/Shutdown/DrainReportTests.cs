using Company.Service1.Platform.Shutdown;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Company.Service1.Tests.Platform.Shutdown;

/// <summary>
/// The drain's last word, as an operator reads it in the log: whether every in-flight request finished and how long
/// after the listener closed, or how many were cut. The sequence itself runs in-process in DrainSequenceTests and under
/// load on the published binary in GracefulDrainTests.
/// </summary>
public sealed class DrainReportTests : IDisposable
{
    private readonly CapturedLog _log = new();
    private readonly DrainState _state = new();
    private readonly SteppedTime _time = new();
    private readonly ILoggerFactory _logs;

    public DrainReportTests() => _logs = LoggerFactory.Create(logging => logging.AddProvider(_log));

    [Fact]
    public async Task With_nothing_in_flight_the_drain_reports_how_long_after_the_listener_closed_it_ended()
    {
        var drain = Service();
        await drain.StoppingAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1234));

        var stopped = drain.StoppedAsync(CancellationToken.None);

        Assert.True(stopped.IsCompletedSuccessfully, "with nothing in flight the report does not wait");

        Assert.Equal("Drained: every in-flight request finished (1234 ms after the listener closed)", Lines().Last());
    }

    [Fact]
    public async Task A_request_that_finishes_just_after_the_listener_closed_is_waited_for_not_counted_as_cut()
    {
        var drain = Service();
        _state.RequestStarted();
        await drain.StoppingAsync(CancellationToken.None);

        var stopped = drain.StoppedAsync(CancellationToken.None);
        _state.RequestFinished(aborted: false);
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("Drained: every in-flight request finished", Lines().Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_still_in_flight_or_aborted_during_the_drain_are_reported_as_cut_with_their_number()
    {
        var drain = Service();
        _state.RequestStarted();
        _state.RequestStarted();
        await drain.StoppingAsync(CancellationToken.None);
        _state.RequestFinished(aborted: true);

        // The one left never finishes: the report comes after the short wait for unwinding requests, and counts both.
        await drain.StoppedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var line = Assert.Single(_log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal("Drain finished after the 7s timeout or with client aborts: 2 in-flight requests were cut", line.Message);
    }

    [Fact]
    public async Task A_host_stopped_before_it_began_to_drain_reports_no_drain_time()
    {
        _time.Advance(TimeSpan.FromHours(1));

        await Service().StoppedAsync(CancellationToken.None);

        Assert.Equal("Drained: every in-flight request finished (0 ms after the listener closed)", Assert.Single(Lines()));
    }

    [Fact]
    public async Task A_host_stopped_twice_drains_and_reports_once()
    {
        var drain = Service();

        await drain.StoppingAsync(CancellationToken.None);
        await drain.StoppingAsync(CancellationToken.None);
        await drain.StoppedAsync(CancellationToken.None);
        await drain.StoppedAsync(CancellationToken.None);

        Assert.Single(Lines(), line => line.StartsWith("Draining:", StringComparison.Ordinal));
        Assert.Single(Lines(), line => line.StartsWith("Drain delay over:", StringComparison.Ordinal));
        Assert.Single(Lines(), line => line.StartsWith("Drained:", StringComparison.Ordinal));
    }

    public void Dispose() => _logs.Dispose();

    private GracefulDrainService Service() =>
        new(_state, Options.Create(new DrainOptions { DelaySeconds = 0, TimeoutSeconds = 7 }), _time, _logs.CreateLogger<GracefulDrainService>());

    private List<string> Lines() => [.. _log.Lines.Select(l => l.Message)];

    /// <summary>System timers, and a clock that moves only when told, so an elapsed time is exact.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long _now = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }
}
