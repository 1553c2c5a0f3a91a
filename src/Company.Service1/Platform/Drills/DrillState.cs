namespace Company.Service1.Platform.Drills;

/// <summary>The drills' runtime switches: forced unreadiness and the fault rate set through <c>POST /faults</c>.</summary>
public sealed class DrillState
{
    private int _readinessDisabled;
    // NaN means "no override": a double can be read and written atomically, a double? cannot.
    private double _faultRateOverride = double.NaN;

    public bool ReadinessDisabled
    {
        get => Volatile.Read(ref _readinessDisabled) == 1;
        set => Volatile.Write(ref _readinessDisabled, value ? 1 : 0);
    }

    /// <summary>The rate set through <c>POST /faults</c>, else the <paramref name="configured"/> one.</summary>
    public double FaultRateOr(double configured)
    {
        var rate = Volatile.Read(ref _faultRateOverride);
        return double.IsNaN(rate) ? configured : rate;
    }

    public void SetFaultRate(double rate) => Volatile.Write(ref _faultRateOverride, rate);
}
