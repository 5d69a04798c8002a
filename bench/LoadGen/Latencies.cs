namespace RadMah.LoadGen;

/// <summary>Latency percentiles as the load generator prints them.</summary>
public static class Latencies
{
    public static void Print(string label, List<double> ms)
    {
        ms.Sort();
        Console.WriteLine($"{label}: p50 {Percentile(ms, 0.5):F1} ms, p95 {Percentile(ms, 0.95):F1} ms, p99 {Percentile(ms, 0.99):F1} ms, max {ms[^1]:F1} ms");
    }

    /// <summary>The nearest-rank percentile <paramref name="q"/> (0–1) of values sorted ascending.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted[(int)Math.Max(0, Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1))];
}
