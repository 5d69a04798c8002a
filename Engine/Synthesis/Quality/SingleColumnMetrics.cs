namespace RadMah.Engine.Synthesis.Quality;

/// <summary>
/// Column-shape metrics as SDMetrics defines them, so scores compare with published ones:
/// KSComplement for numbers and times, TVComplement for categories. Both ignore nulls.
/// </summary>
public static class SingleColumnMetrics
{
    /// <summary>
    /// 1 − the two-sample Kolmogorov–Smirnov statistic of the non-null values, after rounding to 14
    /// decimals as SDMetrics does (so 0.3 − 0.2 equals 0.2 − 0.1). NaN when a side has no value.
    /// </summary>
    public static double KsComplement(ReadOnlySpan<double> real, ReadOnlySpan<double> synthetic)
    {
        var a = SortedPresent(real);
        var b = SortedPresent(synthetic);
        if (a.Length == 0 || b.Length == 0) return double.NaN;
        return 1 - KsStatistic(a, b);
    }

    /// <summary>The largest gap between the two empirical CDFs; both arrays sorted.</summary>
    public static double KsStatistic(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        int i = 0, j = 0;
        double n = sortedA.Length, m = sortedB.Length, d = 0;
        while (i < sortedA.Length && j < sortedB.Length)
        {
            var x = Math.Min(sortedA[i], sortedB[j]);
            while (i < sortedA.Length && sortedA[i] <= x) i++;
            while (j < sortedB.Length && sortedB[j] <= x) j++;
            d = Math.Max(d, Math.Abs(i / n - j / m));
        }
        return d;
    }

    internal static double[] SortedPresent(ReadOnlySpan<double> values)
    {
        var present = new double[values.Length];
        var count = 0;
        foreach (var v in values)
            if (!double.IsNaN(v)) present[count++] = Round14(v);
        Array.Resize(ref present, count);
        Array.Sort(present);
        return present;
    }

    /// <summary>np.round(x, 14): exact for the magnitudes where 14 decimals are meaningful.</summary>
    private static double Round14(double v) => Math.Abs(v) < 1e15 ? Math.Round(v, 14, MidpointRounding.ToEven) : v;

    /// <summary>
    /// 1 − the total variation distance between the category frequencies of the non-null values
    /// (SDMetrics' get_frequencies: a category seen only in the synthetic data counts 1e-6 in the
    /// real). NaN when a side has no value.
    /// </summary>
    public static double TvComplement(IReadOnlyList<string?> real, IReadOnlyList<string?> synthetic)
    {
        var realCounts = new Dictionary<string, double>(StringComparer.Ordinal);
        var synthCounts = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var v in real)
        {
            if (v is null) continue;
            if (!realCounts.TryAdd(v, 1)) realCounts[v]++;
            else order.Add(v);
        }
        foreach (var v in synthetic)
        {
            if (v is null) continue;
            if (!synthCounts.TryAdd(v, 1)) synthCounts[v]++;
        }
        if (realCounts.Count == 0 || synthCounts.Count == 0) return double.NaN;
        foreach (var v in synthCounts.Keys)
            if (realCounts.TryAdd(v, 1e-6)) order.Add(v);
        double realTotal = 0, synthTotal = 0;
        foreach (var v in order) realTotal += realCounts[v];
        foreach (var c in synthCounts.Values) synthTotal += c;
        double distance = 0;
        foreach (var v in order)
            distance += Math.Abs(synthCounts.GetValueOrDefault(v) / synthTotal - realCounts[v] / realTotal);
        return 1 - 0.5 * distance;
    }
}
