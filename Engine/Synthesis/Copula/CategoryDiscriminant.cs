using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A category drawn given the copula's other scores, by linear discriminant analysis: each value's
/// rows have their own mean of the other dimensions' normal scores and all values share one
/// (regularized) covariance, so P(value | scores) is a softmax of linear functions of the scores.
/// </summary>
/// <remarks>
/// A category with three or more values has no order in which one correlation can carry its
/// relations: "which candidate won" follows a different vote count for each value, a species
/// differs from the others in a different measurement. On one copula dimension such a column keeps
/// one direction at best. Drawn from its discriminant instead, the table is P(others) · P(category
/// | others): the copula keeps the other columns' joint shape, and the category follows every
/// column it depends on. Its own copula dimension stays, uncorrelated, as the uniform that picks
/// the value from the posterior (stratified with the rest of its block).
/// </remarks>
public sealed class CategoryDiscriminant
{
    /// <summary>
    /// Categories with this many values or fewer (null included), and at least three, are drawn by a discriminant: up to
    /// <see cref="CopulaFitting.PrecisionKept"/>; from <see cref="CopulaFitting.BreachesInGroup"/> on, <see cref="MaxValuesWide"/>.
    /// </summary>
    public const int MaxValues = 20;

    /// <summary>
    /// The most values a discriminant draws from <see cref="CopulaFitting.BreachesInGroup"/> on (and reads): a car's model among 38 or a
    /// state among 50, drawn by one copula dimension only, keeps few of its relations to the other columns.
    /// </summary>
    public const int MaxValuesWide = 64;

    /// <summary>The most values a discriminant of <paramref name="fitting"/> draws.</summary>
    public static int MaxValuesOf(CopulaFitting fitting) => fitting >= CopulaFitting.BreachesInGroup ? MaxValuesWide : MaxValues;

    /// <summary>Ridge added to the pooled covariance of the scores (each of variance about 1), so a small or collinear table still inverts.</summary>
    public const double Ridge = 0.05;

    /// <summary>
    /// Rounds of proportional fitting at most: the picking that follows enforces the shares exactly, so the posteriors need only be
    /// near them (within 1%) for the counts not to bind before the last rows.
    /// </summary>
    private const int CalibrationRounds = 4;

    public CategoryDiscriminant(int[] features, double[,] weights, double[] offsets)
    {
        if (offsets.Length is < 1 or > MaxValuesWide) throw new FormatException($"a discriminant draws 1 to {MaxValuesWide} values, not {offsets.Length}.");
        if (weights.GetLength(0) != offsets.Length || weights.GetLength(1) != features.Length)
            throw new FormatException("a discriminant needs one weight per value and feature, and one offset per value.");
        if (offsets.Any(o => !double.IsFinite(o)) || weights.Cast<double>().Any(w => !double.IsFinite(w)))
            throw new FormatException("a discriminant's weights must be finite.");
        Features = features;
        Weights = weights;
        Offsets = offsets;
        _weights = new double[weights.Length];
        for (var v = 0; v < offsets.Length; v++)
            for (var f = 0; f < features.Length; f++) _weights[v * features.Length + f] = weights[v, f];
    }

    /// <summary><see cref="Weights"/> row by row, for sampling.</summary>
    private readonly double[] _weights;

    /// <summary>The copula dimensions the value depends on.</summary>
    public int[] Features { get; }

    /// <summary>Per value (in the column's interval order) and feature: Σ⁻¹ μ.</summary>
    public double[,] Weights { get; }

    /// <summary>Per value: log prior − ½ μᵀ Σ⁻¹ μ.</summary>
    public double[] Offsets { get; }

    public int Values => Offsets.Length;

    /// <summary>
    /// The value whose share of the cumulative posterior holds <paramref name="u"/>, given the scores
    /// <paramref name="z"/> (indexed by copula dimension). <paramref name="scratch"/> holds <see cref="Values"/> doubles.
    /// </summary>
    public int Pick(ReadOnlySpan<double> z, double u, Span<double> scratch)
    {
        var posterior = scratch[..Values];
        Posterior(z, posterior);
        return PickFrom(posterior, u);
    }

    /// <summary>P(value | <paramref name="z"/>) for every value, into <paramref name="posterior"/> (<see cref="Values"/> doubles).</summary>
    public void Posterior(ReadOnlySpan<double> z, Span<double> posterior)
    {
        var top = double.NegativeInfinity;
        var features = Features;
        var weights = _weights;
        for (int v = 0, w = 0; v < posterior.Length; v++)
        {
            var logit = Offsets[v];
            for (var f = 0; f < features.Length; f++, w++) logit += weights[w] * z[features[f]];
            posterior[v] = logit;
            if (logit > top) top = logit;
        }
        double total = 0;
        for (var v = 0; v < posterior.Length; v++) total += posterior[v] = ExpOfNonPositive(posterior[v] - top);
        var scale = 1 / total;
        for (var v = 0; v < posterior.Length; v++) posterior[v] *= scale;
    }

    /// <summary>
    /// e^x for x ≤ 0, to about 1e-6 relative: 2^i by its exponent bits, 2^f by a degree-7 series. Sampling spends most of a
    /// discriminant's time here with the runtime's exp; this one is a few multiplications, and the same bits on every machine.
    /// </summary>
    internal static double ExpOfNonPositive(double x)
    {
        if (x < -700) return 0;
        var t = x * 1.4426950408889634;
        var i = Math.Floor(t);
        var y = (t - i) * 0.6931471805599453;
        var series = 1 + y * (1 + y * (1.0 / 2 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120 + y * (1.0 / 720 + y * (1.0 / 5040)))))));
        return series * BitConverter.Int64BitsToDouble((long)(i + 1023) << 52);
    }

    /// <summary>The value whose share of <paramref name="posterior"/>, laid end to end, holds <paramref name="u"/>.</summary>
    public static int PickFrom(ReadOnlySpan<double> posterior, double u)
    {
        double running = 0;
        for (var v = 0; v < posterior.Length - 1; v++)
        {
            running += posterior[v];
            if (u < running) return v;
        }
        return posterior.Length - 1;
    }

    /// <summary>
    /// Picks a value for each of a block's rows so that every value comes out exactly its share of the rows (largest remainders),
    /// as a stratified column's values do: row by row, the value at <paramref name="uniforms"/>(row) of the row's posterior over
    /// the values whose count is not yet reached. <paramref name="posteriors"/> should be <see cref="Calibrate"/>d first, so that
    /// the counts rarely bind before the last rows.
    /// </summary>
    public void PickWithShares(ReadOnlySpan<double> posteriors, int rows, ReadOnlySpan<double> shares, Func<int, double> uniforms, Span<int> picked)
    {
        Span<int> left = stackalloc int[MaxValuesWide];
        left = left[..Values];
        Span<double> remainders = stackalloc double[MaxValuesWide];
        remainders = remainders[..Values];
        var assigned = 0;
        for (var v = 0; v < Values; v++)
        {
            var exact = shares[v] * rows;
            left[v] = (int)Math.Floor(exact);
            remainders[v] = exact - left[v];
            assigned += left[v];
        }
        // The rows the floors leave go to the largest remainders (ties to the first value).
        for (; assigned < rows; assigned++)
        {
            var best = 0;
            for (var v = 1; v < Values; v++)
                if (remainders[v] > remainders[best]) best = v;
            left[best]++;
            remainders[best] = double.NegativeInfinity;
        }
        Span<double> open = stackalloc double[MaxValuesWide];
        open = open[..Values];
        for (var r = 0; r < rows; r++)
        {
            double total = 0;
            for (var v = 0; v < Values; v++) total += open[v] = left[v] > 0 ? posteriors[r * Values + v] : 0;
            int value;
            if (total > 0)
            {
                var target = uniforms(r) * total;
                double running = 0;
                value = -1;
                for (var v = 0; v < Values; v++)
                {
                    if (open[v] == 0) continue;
                    running += open[v];
                    value = v;
                    if (target < running) break;
                }
            }
            else
            {
                // The row's posterior is all on values already full: the first value with room left.
                value = 0;
                while (left[value] == 0) value++;
            }
            left[value]--;
            picked[r] = value;
        }
    }

    /// <summary>
    /// Scales the posteriors of a block's rows (<paramref name="posteriors"/>, <see cref="Values"/> per row) so that, summed over the
    /// rows, each value's equals its share <paramref name="shares"/> of the rows, each row still summing to 1 (iterative
    /// proportional fitting, to within 1% or <see cref="CalibrationRounds"/> rounds). A discriminant's posteriors need not average to the training shares; after this a
    /// block's values come out at their shares, as every other column's do.
    /// </summary>
    public void Calibrate(Span<double> posteriors, int rows, ReadOnlySpan<double> shares)
    {
        Span<double> totals = stackalloc double[MaxValuesWide];
        totals = totals[..Values];
        for (var round = 0; round < CalibrationRounds; round++)
        {
            totals.Clear();
            for (var r = 0; r < rows; r++)
                for (var v = 0; v < Values; v++) totals[v] += posteriors[r * Values + v];
            var worst = 0.0;
            for (var v = 0; v < Values; v++)
            {
                var target = shares[v] * rows;
                totals[v] = totals[v] > 0 ? target / totals[v] : 0;
                worst = Math.Max(worst, Math.Abs(totals[v] - 1));
            }
            if (worst < 0.01) return;
            for (var r = 0; r < rows; r++)
            {
                var row = posteriors.Slice(r * Values, Values);
                double sum = 0;
                for (var v = 0; v < Values; v++) sum += row[v] *= totals[v];
                if (sum > 0)
                    for (var v = 0; v < Values; v++) row[v] /= sum;
            }
        }
    }

    /// <summary>
    /// The discriminant from each value's row count, sum of feature scores, and the shared within-value
    /// sum of squares and products of the scores (feature × feature, around each value's own mean).
    /// Values with no rows never get picked.
    /// </summary>
    public static CategoryDiscriminant Fit(int[] features, long[] counts, double[][] sums, double[,] withinScatter)
    {
        var f = features.Length;
        var k = counts.Length;
        double total = counts.Sum();
        var covariance = Matrix<double>.Build.Dense(f, f, (i, j) => withinScatter[i, j] / Math.Max(1, total - k) + (i == j ? Ridge : 0));
        var inverse = covariance.Inverse();
        var weights = new double[k, f];
        var offsets = new double[k];
        for (var v = 0; v < k; v++)
        {
            if (counts[v] == 0)
            {
                offsets[v] = -1e300;
                continue;
            }
            var mean = Vector<double>.Build.Dense(f, i => sums[v][i] / counts[v]);
            var w = inverse * mean;
            for (var i = 0; i < f; i++) weights[v, i] = w[i];
            offsets[v] = Math.Log(counts[v] / total) - 0.5 * mean.DotProduct(w);
        }
        return new CategoryDiscriminant(features, weights, offsets);
    }

    public JsonObject ToJson() => new()
    {
        ["features"] = new JsonArray([.. Features.Select(x => (JsonNode?)x)]),
        ["weights"] = new JsonArray([.. Enumerable.Range(0, Values).Select(v => (JsonNode?)new JsonArray([.. Enumerable.Range(0, Features.Length).Select(i => (JsonNode?)Weights[v, i])]))]),
        ["offsets"] = new JsonArray([.. Offsets.Select(x => (JsonNode?)x)]),
    };

    public static CategoryDiscriminant FromJson(JsonObject json)
    {
        var features = json["features"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
        var rows = json["weights"]!.AsArray();
        var weights = new double[rows.Count, features.Length];
        for (var v = 0; v < rows.Count; v++)
        {
            var row = rows[v]!.AsArray();
            if (row.Count != features.Length) throw new FormatException("a discriminant needs one weight per feature.");
            for (var i = 0; i < features.Length; i++) weights[v, i] = row[i]!.GetValue<double>();
        }
        return new CategoryDiscriminant(features, weights, json["offsets"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray());
    }
}
