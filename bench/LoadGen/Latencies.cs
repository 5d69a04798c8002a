namespace RadMah.LoadGen;

/// <summary>Latency percentiles as the load generator prints them.</summary>
public static class Latencies
{
    public static void Print(string label, List<double> ms)
    {
        ms.Sort();
        double P(double q) => ms[(int)Math.Min(ms.Count - 1, Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine($"{label}: p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {ms[^1]:F1} ms");
    }
}
