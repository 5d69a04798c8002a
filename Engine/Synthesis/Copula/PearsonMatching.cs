using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// The copula's correlation between two numbers chosen so that the values it draws have the training rows' Pearson correlation
/// (NORTA, "normal to anything": Cario and Nelson, 1997). The correlation of the normal scores keeps the columns' ranks together,
/// but the values a copula draws have another Pearson correlation wherever a marginal is far from normal: two clumps (a geyser's
/// short and long eruptions), a long tail (incomes, animals' weights), a few extreme rows. Pearson's is what a user computes, and
/// what the quality report's pair trends score.
/// <para>
/// For standard normals Z₁, Z₂ of correlation ρ and a column's value g(Z) = F⁻¹(Φ(Z)), Mehler's expansion gives
/// Corr(g_a(Z₁), g_b(Z₂)) = Σ_k ρ^k a_k b_k, where a_k is the k-th coefficient of the standardized g_a in the orthonormal Hermite
/// polynomials. Each number's coefficients are computed once from its model (the same marginal or value intervals the sampler
/// draws from, on a grid of scores), so each pair's ρ is found by bisection on a polynomial, whatever the table's size. For
/// nondecreasing g the sum rises with ρ; a Pearson correlation no ρ reaches (the values cannot be that tied) gets the nearest ρ.
/// </para>
/// </summary>
internal static class PearsonMatching
{
    /// <summary>Hermite terms kept: the rest of a column's variance is small for any marginal a copula fits, and weighs ρ^49.</summary>
    private const int Terms = 48;

    private const double GridEnd = 8.5;
    private const double GridStep = 0.005;

    /// <summary>The largest |ρ| chosen: a copula of two numbers tied exactly is still positive definite.</summary>
    private const double MaxCorrelation = 0.999;

    /// <summary>Rows × pairs the training Pearson correlations are computed over at most (evenly spaced rows), so a wide table's cost stays bounded.</summary>
    private const long MaxPairRows = 40_000_000;

    /// <summary>Rows a training correlation is computed over at least, when the table has them.</summary>
    private const int MinPairRows = 2_000;

    /// <summary>The numbers a Pearson correlation is matched for: continuous ones and those drawn from their values (not booleans).</summary>
    public static bool Matches(CopulaColumn model) => model is ContinuousColumn or DiscreteColumn { Numbers: not null, IsBoolean: false };

    /// <summary>
    /// <paramref name="correlation"/> (the normal scores') with each pair of numbers' value dimensions set to the ρ whose drawn values
    /// have the training rows' Pearson correlation (over the rows where both are present); a pair with fewer than three such rows, or
    /// a number with one value, keeps the scores' correlation. The result may need mending to a positive definite matrix.
    /// </summary>
    public static double[,] Matched(IReadOnlyList<TableColumn> columns, CopulaColumn[] models, int[] first, double[,] correlation, ParallelOptions options)
    {
        var numbers = Enumerable.Range(0, columns.Count).Where(i => columns[i] is NumericColumn && Matches(models[i])).ToArray();
        var matched = (double[,])correlation.Clone();
        if (numbers.Length < 2) return matched;
        var expansions = new double[]?[numbers.Length];
        Parallel.For(0, numbers.Length, options, n => expansions[n] = Expansion(models[numbers[n]]));
        var pairs = new List<(int A, int B)>();
        for (var a = 0; a < numbers.Length; a++)
            for (var b = a + 1; b < numbers.Length; b++)
                if (expansions[a] is not null && expansions[b] is not null) pairs.Add((a, b));
        var rows = columns[0].Length;
        var stride = (int)Math.Max(1, Math.Min((long)rows * pairs.Count / MaxPairRows + 1, rows / MinPairRows));
        var chosen = new double[pairs.Count];
        Parallel.For(0, pairs.Count, options, p =>
        {
            var (a, b) = pairs[p];
            var target = Pearson(((NumericColumn)columns[numbers[a]]).Values, ((NumericColumn)columns[numbers[b]]).Values, stride);
            chosen[p] = double.IsNaN(target) ? double.NaN : Solve(expansions[a]!, expansions[b]!, target);
        });
        for (var p = 0; p < pairs.Count; p++)
        {
            if (double.IsNaN(chosen[p])) continue;
            int i = first[numbers[pairs[p].A]], j = first[numbers[pairs[p].B]];
            matched[i, j] = matched[j, i] = chosen[p];
        }
        return matched;
    }

    /// <summary>
    /// The coefficients a_1…a_<see cref="Terms"/> of a number's standardized value at a score, in the orthonormal (probabilists')
    /// Hermite polynomials, by the trapezoid rule on a grid of scores; null when the number has one value.
    /// </summary>
    private static double[]? Expansion(CopulaColumn model)
    {
        var points = (int)Math.Round(2 * GridEnd / GridStep) + 1;
        var z = new double[points];
        var g = new double[points];
        var w = new double[points];
        var total = 0.0;
        for (var i = 0; i < points; i++)
        {
            z[i] = -GridEnd + i * GridStep;
            total += w[i] = Math.Exp(-0.5 * z[i] * z[i]);
            var u = StandardNormal.Cdf(z[i]);
            g[i] = model switch
            {
                ContinuousColumn continuous => continuous.Value(u),
                DiscreteColumn discrete => discrete.Numbers![discrete.Intervals.ValueAtScore(z[i])],
                _ => throw new ArgumentException($"column '{model.Name}' is not a number."),
            };
        }
        var mean = 0.0;
        for (var i = 0; i < points; i++) mean += (w[i] /= total) * g[i];
        var variance = 0.0;
        for (var i = 0; i < points; i++) variance += w[i] * (g[i] - mean) * (g[i] - mean);
        if (!(variance > 0) || double.IsInfinity(variance)) return null;
        var sd = Math.Sqrt(variance);
        var coefficients = new double[Terms];
        for (var i = 0; i < points; i++)
        {
            var centred = w[i] * (g[i] - mean) / sd;
            double previous = 1, current = z[i];
            for (var k = 1; k <= Terms; k++)
            {
                coefficients[k - 1] += centred * current;
                (previous, current) = (current, (z[i] * current - Math.Sqrt(k) * previous) / Math.Sqrt(k + 1));
            }
        }
        return coefficients;
    }

    /// <summary>The ρ in [−<see cref="MaxCorrelation"/>, <see cref="MaxCorrelation"/>] at which Σ ρ^k a_k b_k is <paramref name="target"/>, by bisection.</summary>
    private static double Solve(double[] a, double[] b, double target)
    {
        var products = new double[Terms];
        for (var k = 0; k < Terms; k++) products[k] = a[k] * b[k];
        double Correlation(double rho)
        {
            var sum = 0.0;
            for (var k = Terms - 1; k >= 0; k--) sum = (sum + products[k]) * rho;
            return sum;
        }
        double low = -MaxCorrelation, high = MaxCorrelation;
        if (target <= Correlation(low)) return low;
        if (target >= Correlation(high)) return high;
        for (var step = 0; step < 60; step++)
        {
            var middle = 0.5 * (low + high);
            if (Correlation(middle) < target) low = middle;
            else high = middle;
        }
        return 0.5 * (low + high);
    }

    /// <summary>Pearson's correlation of every <paramref name="stride"/>-th row where both are present; NaN with fewer than three or no spread.</summary>
    private static double Pearson(double[] x, double[] y, int stride)
    {
        long n = 0;
        double meanX = 0, meanY = 0, sxx = 0, syy = 0, sxy = 0;
        for (var row = 0; row < x.Length; row += stride)
        {
            double a = x[row], b = y[row];
            if (double.IsNaN(a) || double.IsNaN(b)) continue;
            n++;
            // Welford's updates: no cancellation on large values (dates as ticks).
            var dx = a - meanX;
            meanX += dx / n;
            var dy = b - meanY;
            meanY += dy / n;
            sxx += dx * (a - meanX);
            syy += dy * (b - meanY);
            sxy += dx * (b - meanY);
        }
        return n < 3 || !(sxx > 0) || !(syy > 0) ? double.NaN : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}
