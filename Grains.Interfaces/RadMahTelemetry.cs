namespace RadMah.Grains.Interfaces;

/// <summary>Names shared by the code that records the platform's metrics and the hosts that export them.</summary>
public static class RadMahTelemetry
{
    /// <summary>The meter of the platform's own metrics (jobs, queues, credits).</summary>
    public const string MeterName = "RadMah";

    /// <summary>Orleans' own meter (grain calls, activations, messaging).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";
}
