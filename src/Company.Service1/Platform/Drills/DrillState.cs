using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Drills;

/// <summary>The drills' runtime switches: forced unreadiness and the injected fault rate.</summary>
public sealed class DrillState(IOptionsMonitor<DrillOptions> options)
{
    private int _readinessDisabled;
    // NaN means "no override": a double can be read and written atomically, a double? cannot.
    private double _faultRateOverride = double.NaN;

    public bool ReadinessDisabled
    {
        get => Volatile.Read(ref _readinessDisabled) == 1;
        set => Volatile.Write(ref _readinessDisabled, value ? 1 : 0);
    }

    /// <summary>The rate set through <c>POST /faults</c>, else the configured one.</summary>
    public double FaultRate
    {
        get
        {
            var rate = Volatile.Read(ref _faultRateOverride);
            return double.IsNaN(rate) ? options.CurrentValue.FaultRate : rate;
        }
    }

    public void SetFaultRate(double rate) => Volatile.Write(ref _faultRateOverride, rate);
}
