namespace RadMah.Engine.Simulation.Process;

/// <summary>A tag's alarm and control thresholds (LL, L, H, HH), in its unit; NaN where the PLC uses none.</summary>
public record struct Thresholds(double LL, double L, double H, double HH)
{
    public readonly Thresholds With(string name, double value) => name switch
    {
        "LL" => this with { LL = value },
        "L" => this with { L = value },
        "H" => this with { H = value },
        "HH" => this with { HH = value },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "a threshold is LL, L, H or HH"),
    };
}

/// <summary>
/// The PLC thresholds of SWaT (SUTD simulator SCADA.py and the MiniCPS swat-s1 constants; levels in
/// mm). A scenario's regime change or a setpoint-tampering attack replaces some of them for a while.
/// </summary>
public static class Setpoints
{
    public static readonly IReadOnlyDictionary<int, Thresholds> Defaults = new Dictionary<int, Thresholds>
    {
        [SwatTags.LIT101] = new(250, 500, 800, 1100),
        [SwatTags.LIT301] = new(250, 800, 1000, 1200),
        [SwatTags.LIT401] = new(250, 800, 1000, 1200),
        [SwatTags.FIT201] = new(0, 0.5, 2.0, 4.0),
        [SwatTags.FIT401] = new(0, 0.5, 2.0, 4.0),
        [SwatTags.AIT201] = new(50, 250, 260, 950),
        [SwatTags.AIT202] = new(3, 6.95, 7.05, 12),
        [SwatTags.AIT203] = new(100, 420, 500, 750),
        [SwatTags.AIT402] = new(200, 240, 250, 800),
        [SwatTags.AIT504] = new(0, 0, 10, 15),
        [SwatTags.DPIT301] = new(0, 10.1325, 40.53, 101.325),
    };

    /// <summary>Tags whose thresholds a scenario may change.</summary>
    public static bool Has(int tag) => Defaults.ContainsKey(tag);
}
