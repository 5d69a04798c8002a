namespace RadMah.Engine.Tests.Synthesis;

/// <summary>What the synthesis tests measure tables by.</summary>
internal static class Correlations
{
    /// <summary>Pearson's correlation over the rows where both are present (NaN is null).</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var rows = Enumerable.Range(0, x.Count).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
        double mx = rows.Average(i => x[i]), my = rows.Average(i => y[i]), sxy = 0, sxx = 0, syy = 0;
        foreach (var i in rows)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
