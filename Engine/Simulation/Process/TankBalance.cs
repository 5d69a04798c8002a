namespace RadMah.Engine.Simulation.Process;

/// <summary>
/// Running totals of one tank's water, m³: what came in, what left through pumps and drains, what
/// leaked and what overflowed. Compensated (Kahan) sums, so a weeks-long run still balances to the
/// last digits: in − out − leak − overflow = Δvolume.
/// </summary>
public sealed class TankBalance
{
    private double _in, _inCarry, _out, _outCarry, _leak, _leakCarry, _overflow, _overflowCarry;

    public double In => _in;
    public double Out => _out;
    public double Leak => _leak;
    public double Overflow => _overflow;

    public void Add(double inflow, double outflow, double leak, double overflow)
    {
        Sum(ref _in, ref _inCarry, inflow);
        Sum(ref _out, ref _outCarry, outflow);
        Sum(ref _leak, ref _leakCarry, leak);
        Sum(ref _overflow, ref _overflowCarry, overflow);
    }

    private static void Sum(ref double sum, ref double carry, double value)
    {
        var y = value - carry;
        var t = sum + y;
        carry = t - sum - y;
        sum = t;
    }
}
