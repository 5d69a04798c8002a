namespace RadMah.Engine.Synthesis.Quality;

/// <summary>
/// Column-pair metrics as SDMetrics defines them: CorrelationSimilarity for two continuous
/// columns, ContingencySimilarity for pairs with a discrete one.
/// </summary>
public static class ColumnPairMetrics
{
    /// <summary>
    /// 1 − |ρ_real − ρ_synthetic| / 2 with Pearson's ρ over the rows where both columns have a
    /// value. NaN when a column is constant (correlation is undefined) or a side has fewer than two rows.
    /// </summary>
    public static double CorrelationSimilarity(ReadOnlySpan<double> real1, ReadOnlySpan<double> real2, ReadOnlySpan<double> synthetic1, ReadOnlySpan<double> synthetic2)
    {
        if (IsConstant(real1) || IsConstant(real2) || IsConstant(synthetic1) || IsConstant(synthetic2)) return double.NaN;
        var r = Pearson(real1, real2);
        var s = Pearson(synthetic1, synthetic2);
        return double.IsNaN(r) || double.IsNaN(s) ? double.NaN : 1 - Math.Abs(r - s) / 2;
    }

    /// <summary>Pearson's correlation over the rows where both values are present; NaN with fewer than two, or no spread.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        long n = 0;
        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            n++;
            meanX += (x[i] - meanX) / n;
            meanY += (y[i] - meanY) / n;
        }
        if (n < 2) return double.NaN;
        double sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>pandas' nunique() == 1: one distinct non-null value.</summary>
    private static bool IsConstant(ReadOnlySpan<double> values)
    {
        var first = double.NaN;
        var distinct = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (distinct == 0)
            {
                first = v;
                distinct = 1;
            }
            else if (v != first) return false;
        }
        return distinct == 1;
    }

    /// <summary>
    /// 1 − the total variation distance between the two normalized contingency tables of the
    /// pair (null is a value of its own, as pandas' groupby with dropna=False makes it).
    /// </summary>
    public static double ContingencySimilarity<TA, TB>(IReadOnlyList<TA> real1, IReadOnlyList<TB> real2, IReadOnlyList<TA> synthetic1, IReadOnlyList<TB> synthetic2)
    {
        if (real1.Count == 0 || synthetic1.Count == 0) return double.NaN;
        var real = Table(real1, real2);
        var synthetic = Table(synthetic1, synthetic2);
        double distance = 0;
        foreach (var (cell, count) in real)
            distance += Math.Abs(count / real1.Count - synthetic.GetValueOrDefault(cell) / synthetic1.Count);
        foreach (var (cell, count) in synthetic)
            if (!real.ContainsKey(cell)) distance += count / synthetic1.Count;
        return 1 - distance / 2;
    }

    /// <summary>
    /// <see cref="ContingencySimilarity{TA, TB}"/> over values already numbered (0 ≤ code &lt;
    /// cardinality, null given a code of its own): the same figure, counted in arrays.
    /// </summary>
    public static double ContingencySimilarity(int[] real1, int[] real2, int[] synthetic1, int[] synthetic2, int cardinality1, int cardinality2)
    {
        if (real1.Length == 0 || synthetic1.Length == 0) return double.NaN;
        var cells = (long)cardinality1 * cardinality2;
        if (cells > 1 << 22)
            return ContingencySimilarity<int, int>(real1, real2, synthetic1, synthetic2);
        var real = new int[cells];
        var synthetic = new int[cells];
        for (var i = 0; i < real1.Length; i++) real[real1[i] * cardinality2 + real2[i]]++;
        for (var i = 0; i < synthetic1.Length; i++) synthetic[synthetic1[i] * cardinality2 + synthetic2[i]]++;
        double distance = 0;
        double realTotal = real1.Length, syntheticTotal = synthetic1.Length;
        for (var c = 0; c < cells; c++)
            if (real[c] != 0 || synthetic[c] != 0) distance += Math.Abs(real[c] / realTotal - synthetic[c] / syntheticTotal);
        return 1 - distance / 2;
    }

    private static Dictionary<(Key<TA>, Key<TB>), double> Table<TA, TB>(IReadOnlyList<TA> first, IReadOnlyList<TB> second)
    {
        var table = new Dictionary<(Key<TA>, Key<TB>), double>();
        for (var i = 0; i < first.Count; i++)
        {
            var cell = (new Key<TA>(first[i]), new Key<TB>(second[i]));
            table[cell] = table.GetValueOrDefault(cell) + 1;
        }
        return table;
    }

    /// <summary>A value as a dictionary key, null included.</summary>
    private readonly record struct Key<T>(T? Value);

    /// <summary>
    /// The 10 equal-width bins SDMetrics' quality report puts a continuous column in for a pair with a
    /// discrete one (np.histogram_bin_edges over the non-null values, then np.digitize): bin i is
    /// [edge i−1, edge i); the maximum and nulls land in bin 11, below the minimum in bin 0.
    /// Each side is binned on its own edges, as the report does. Null when every value is null.
    /// </summary>
    /// <summary>The values <see cref="ReportBins"/> gives with its 10 bins: 0 to 11.</summary>
    public const int ReportBinCount = 12;

    public static int[]? ReportBins(ReadOnlySpan<double> values, int bins = 10)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (double.IsPositiveInfinity(min)) return null;
        if (min == max)
        {
            // numpy widens an empty range to ±0.5.
            min -= 0.5;
            max += 0.5;
        }
        // np.linspace: i·step + start, the last edge exactly the stop.
        var edges = new double[bins + 1];
        var step = (max - min) / bins;
        for (var i = 0; i < bins; i++) edges[i] = i * step + min;
        edges[bins] = max;
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
            {
                result[i] = bins + 1;
                continue;
            }
            // np.digitize (right=False): the number of edges ≤ v.
            int lo = 0, hi = edges.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >> 1;
                if (edges[mid] <= v) lo = mid + 1;
                else hi = mid;
            }
            result[i] = lo;
        }
        return result;
    }
}
