using System.Globalization;
using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Reports;

/// <summary>
/// Whether synthetic rows sit closer to the training rows than unseen real rows do. Distances are
/// SDMetrics' distance to closest record: per column, |a − b| over the training range for numbers
/// (capped at 1), 0 or 1 for categories, 1 when one side is null; a row's distance is the mean over
/// the modelled columns. Holdout rows (never trained on) give the baseline: the share of synthetic
/// rows closer to a training row than the holdout's 5th percentile distance should be near 5%, and
/// synthetic rows should not copy training rows more often than holdout rows happen to equal them.
/// Nearest neighbours are searched among a seeded sample of training rows, for seeded samples of
/// synthetic and holdout rows (bounded time on any table; the report says how many); exact copies
/// are counted over all rows. From revision 7 on, the report also says what the job's <see cref="Constraints.CopyGuard"/> measured and did.
/// From revision 11 on, rows of the model's columns drawn independently (the guard's shuffled trial) are a second baseline: rows
/// that only the columns' values made are as close to training rows, and copy them as often, as the table's coarseness makes
/// them, so a synthetic table is a warning only when it is closer, or copies more, than both unseen real rows and those rows.
/// </summary>
public static class PrivacyReport
{
    public const string Version = "radmah.privacy/1";
    public const int ReferenceRows = 10_000;
    public const int QueryRows = 2_000;

    /// <summary>The baseline percentile of holdout distances.</summary>
    public const double Percentile = 0.05;

    /// <summary>
    /// A synthetic share closer than the baseline above this is a warning: twice the 5% an unseen
    /// real row shows, plus three standard errors of the percentile as the holdout sample estimates it
    /// (a small holdout places its 5th percentile less surely).
    /// </summary>
    public static double MaxCloserShare(int holdoutRows) => 2 * Percentile + 3 * Math.Sqrt(Percentile * (1 - Percentile) / Math.Max(1, holdoutRows));

    /// <summary>
    /// The share of synthetic rows that may equal a training row before it is a warning: the holdout's share, plus three
    /// standard errors of it as a holdout of <paramref name="holdoutRows"/> estimates it, plus 0.1%.
    /// </summary>
    public static double AllowedCopyRate(double holdoutCopyRate, int holdoutRows) =>
        holdoutCopyRate + (holdoutRows == 0 ? 0 : 3 * Math.Sqrt(holdoutCopyRate * (1 - holdoutCopyRate) / holdoutRows)) + 0.001;

    /// <summary>
    /// The largest share of a sample of <paramref name="sampleRows"/> rows that may have a property before it is a warning, where a
    /// baseline sample of <paramref name="baselineRows"/> rows has it at <paramref name="baselineShare"/>. The baseline's rate is taken
    /// at its upper bound (three standard errors, plus 0.1%), and a count is allowed unless a sample drawn at that rate reaches it less
    /// than 0.135% of the time (three standard deviations, one-sided), by the binomial's own tail: a synthetic table of a few dozen rows
    /// holds 0, 1 or 2 copies by chance where a normal approximation would allow none.
    /// </summary>
    public static double AllowedShare(double baselineShare, int baselineRows, int sampleRows)
    {
        if (sampleRows <= 0) return 1;
        var rate = Math.Min(1, baselineShare + 3 * Math.Sqrt(baselineShare * (1 - baselineShare) / Math.Max(1, baselineRows)) + 0.001);
        int low = 0, high = sampleRows;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (MathNet.Numerics.Distributions.Binomial.CDF(rate, sampleRows, middle) >= 1 - TailProbability) high = middle;
            else low = middle + 1;
        }
        return (double)low / sampleRows;
    }

    /// <summary>One-sided three-sigma tail.</summary>
    private const double TailProbability = 0.00135;

    public static JsonObject Compute(TrainingTable real, IReadOnlyList<TableColumn> synthetic, long seed, int parallelism, CancellationToken cancellationToken,
        Constraints.CopyGuard? guard = null)
    {
        var train = real.Training;
        var space = new Space(train);
        var key = SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x7072697661637921UL);
        var reference = space.Rows(train, Sample(train[0].Length, ReferenceRows, key, 0));
        var synthRows = space.Rows(synthetic, Sample(synthetic[0].Length, QueryRows, key, 1));
        var holdoutRows = real.Holdout[0].Length == 0 ? [] : space.Rows(real.Holdout, Sample(real.Holdout[0].Length, QueryRows, key, 2));

        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        var synthNearest = Nearest(space, reference, synthRows, options);
        var holdoutNearest = Nearest(space, reference, holdoutRows, options);

        // The guard, when the job measured one, has the training rows' keys already.
        var trainingKeys = guard?.TrainingKeys ?? new HashSet<ulong>(RowKeys.All(train));
        var synthCopies = RowKeys.All(synthetic).LongCount(trainingKeys.Contains);
        var holdoutCopies = RowKeys.All(real.Holdout).LongCount(trainingKeys.Contains);
        var synthCopyRate = (double)synthCopies / synthetic[0].Length;
        var holdoutCopyRate = real.Holdout[0].Length == 0 ? 0 : (double)holdoutCopies / real.Holdout[0].Length;
        // From revision 11 on (a guard that measured the independent rate), a count a sample reaches by chance is allowed: one copy in
        // 119 rows, where the holdout shows none and the model's rate is 0.075%, is not a warning.
        var allowedCopyRate = guard?.IndependentCopyRate is null
            ? AllowedCopyRate(holdoutCopyRate, real.Holdout[0].Length)
            : Math.Max(AllowedShare(holdoutCopyRate, real.Holdout[0].Length, synthetic[0].Length), guard.IndependentAllowance(synthetic[0].Length) ?? 0);

        var reasons = new List<string>();
        var result = new JsonObject { ["report"] = Version };
        if (holdoutNearest.Length == 0)
        {
            reasons.Add("no row was held out, so there is no baseline to compare with");
        }
        else
        {
            var baseline = Quantile(holdoutNearest.Select(n => n.First).ToArray(), Percentile);
            var closer = synthNearest.Count(n => n.First < baseline) / (double)Math.Max(1, synthNearest.Length);
            var allowed = MaxCloserShare(holdoutNearest.Length);
            result["baseline_distance"] = Round(baseline);
            result["synthetic_closer_than_baseline"] = Round(closer);
            double? independentCloser = null;
            if (guard?.IndependentTrial is { } independent)
            {
                var independentRows = space.Rows(independent, Sample(independent[0].Length, QueryRows, key, 3));
                var independentNearest = Nearest(space, reference, independentRows, options);
                independentCloser = independentNearest.Count(n => n.First < baseline) / (double)Math.Max(1, independentNearest.Length);
                result["independent_closer_than_baseline"] = Round(independentCloser.Value);
                allowed = Math.Max(allowed, AllowedShare(independentCloser.Value, independentNearest.Length, synthNearest.Length));
            }
            result["synthetic_closer_than_baseline_allowed"] = Round(allowed);
            if (closer > allowed)
            {
                var besides = independentCloser is { } share
                    ? string.Create(CultureInfo.InvariantCulture, $"; the model's columns drawn independently {share:P1};")
                    : ",";
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{closer:P1} of synthetic rows are closer to a training row than 95% of unseen real rows are (expected about 5%{besides} at most {allowed:P1})"));
            }
        }
        if (synthCopyRate > allowedCopyRate)
        {
            var besides = guard?.IndependentCopyRate is { } independentCopies
                ? string.Create(CultureInfo.InvariantCulture, $", the model's columns drawn independently {independentCopies:P2}")
                : "";
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"{synthCopies:N0} synthetic rows ({synthCopyRate:P2}) equal a training row; unseen real rows do so {holdoutCopyRate:P2} of the time{besides}"));
        }
        result["verdict"] = reasons.Count == 0 ? "pass" : "warning";
        result["reasons"] = new JsonArray([.. reasons.Select(r => (JsonNode)r)]);
        result["distance_to_closest_record"] = new JsonObject
        {
            ["synthetic_to_training"] = Summary(synthNearest.Select(n => n.First).ToArray()),
            ["holdout_to_training"] = Summary(holdoutNearest.Select(n => n.First).ToArray()),
        };
        result["nearest_neighbour_distance_ratio"] = new JsonObject
        {
            ["synthetic_median"] = Round(Quantile(synthNearest.Select(Ratio).ToArray(), 0.5)),
            ["holdout_median"] = holdoutNearest.Length == 0 ? null : Round(Quantile(holdoutNearest.Select(Ratio).ToArray(), 0.5)),
        };
        result["exact_copies"] = new JsonObject
        {
            ["synthetic_rows_checked"] = synthetic[0].Length,
            ["synthetic_rows_equal_to_a_training_row"] = synthCopies,
            ["holdout_rows_checked"] = real.Holdout[0].Length,
            ["holdout_rows_equal_to_a_training_row"] = holdoutCopies,
        };
        // Only reports of revision 7 on have a guard, so earlier reports keep their bytes.
        if (guard is not null) result["copy_guard"] = guard.ToJson();
        result["sample"] = new JsonObject
        {
            ["training_rows"] = train[0].Length,
            ["training_rows_searched"] = reference.Length,
            ["synthetic_rows_queried"] = synthRows.Length,
            ["holdout_rows_queried"] = holdoutRows.Length,
            ["columns"] = new JsonArray([.. train.Select(c => (JsonNode)c.Name)]),
            ["note"] = "nearest neighbours are searched for seeded samples of rows among a seeded sample of training rows; exact copies are counted over every row",
        };
        return result;
    }

    private static double Ratio((double First, double Second) n) => n.Second <= 0 ? (n.First <= 0 ? 1 : 0) : n.First / n.Second;

    private static JsonObject Summary(double[] distances) => distances.Length == 0 ? new JsonObject() : new JsonObject
    {
        ["p05"] = Round(Quantile(distances, 0.05)),
        ["median"] = Round(Quantile(distances, 0.5)),
        ["mean"] = Round(distances.Average()),
    };

    private static double Round(double v) => Math.Round(v, 6);

    /// <summary>Linear-interpolated quantile (numpy's default).</summary>
    private static double Quantile(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Up to <paramref name="count"/> row indexes of <paramref name="rows"/>, a seeded uniform sample in order.</summary>
    private static int[] Sample(int rows, int count, ulong key, int stream)
    {
        if (rows <= count) return Enumerable.Range(0, rows).ToArray();
        var p = (double)count / rows;
        return Enumerable.Range(0, rows).Where(r => SplitMix64.ForCell(key, r, stream).NextDouble() < p).ToArray();
    }

    private static (double First, double Second)[] Nearest(Space space, double[][] reference, double[][] queries, ParallelOptions options)
    {
        var result = new (double, double)[queries.Length];
        Parallel.For(0, queries.Length, options, q =>
        {
            double first = double.PositiveInfinity, second = double.PositiveInfinity;
            foreach (var row in reference)
            {
                var d = space.Distance(queries[q], row, first == double.PositiveInfinity ? double.PositiveInfinity : second);
                if (d < first) (first, second) = (d, first);
                else if (d < second) second = d;
            }
            result[q] = (first, double.IsPositiveInfinity(second) ? first : second);
        });
        return result;
    }

    /// <summary>The training table's columns as a metric space: ranges of numbers, codes of categories.</summary>
    private sealed class Space
    {
        private readonly bool[] _numeric;
        private readonly double[] _min;
        private readonly double[] _range;
        private readonly Dictionary<string, int>[] _codes;

        public Space(IReadOnlyList<TableColumn> training)
        {
            var n = training.Count;
            _numeric = new bool[n];
            _min = new double[n];
            _range = new double[n];
            _codes = new Dictionary<string, int>[n];
            for (var c = 0; c < n; c++)
            {
                switch (training[c])
                {
                    case NumericColumn numeric:
                        _numeric[c] = true;
                        var present = numeric.Values.Where(v => !double.IsNaN(v)).ToArray();
                        _min[c] = present.Length == 0 ? 0 : present.Min();
                        _range[c] = present.Length == 0 ? 0 : present.Max() - _min[c];
                        break;
                    case CategoricalColumn categorical:
                        _codes[c] = categorical.Categories.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
                        break;
                }
            }
        }

        /// <summary>Rows as vectors: numbers scaled to the training range, categories as training codes (−1 null, −2 unseen), NaN null numbers.</summary>
        public double[][] Rows(IReadOnlyList<TableColumn> table, int[] rows)
        {
            var maps = table.Select((t, c) => t is CategoricalColumn k ? k.Categories.Select(v => _codes[c].TryGetValue(v, out var code) ? code : -2).ToArray() : null).ToArray();
            return rows.Select(r =>
            {
                var vector = new double[table.Count];
                for (var c = 0; c < table.Count; c++)
                {
                    vector[c] = table[c] switch
                    {
                        NumericColumn n => _range[c] > 0 ? (n.Values[r] - _min[c]) / _range[c] : n.Values[r] - _min[c],
                        CategoricalColumn k => k.Codes[r] == CategoricalColumn.Null ? -1 : maps[c]![k.Codes[r]],
                        _ => 0,
                    };
                }
                return vector;
            }).ToArray();
        }

        /// <summary>The mean per-column distance; stops early (returning a larger value) once it exceeds <paramref name="bound"/>.</summary>
        public double Distance(double[] a, double[] b, double bound)
        {
            var limit = bound * a.Length;
            double sum = 0;
            for (var c = 0; c < a.Length; c++)
            {
                double d;
                if (_numeric[c])
                {
                    var (x, y) = (a[c], b[c]);
                    d = double.IsNaN(x) || double.IsNaN(y) ? (double.IsNaN(x) && double.IsNaN(y) ? 0 : 1)
                        : _range[c] > 0 ? Math.Min(1, Math.Abs(x - y)) : (x == y ? 0 : 1);
                }
                else d = a[c] == b[c] && a[c] != -2 ? 0 : 1;
                sum += d;
                if (sum > limit) return sum / a.Length;
            }
            return sum / a.Length;
        }
    }
}
