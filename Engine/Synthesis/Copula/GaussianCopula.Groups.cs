using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>Choosing the category a table is grouped by (<see cref="GroupedCopula"/>), on the copula's normal scores.</summary>
public sealed partial class GaussianCopula
{
    /// <summary>
    /// A value with fewer training rows than this is not a group of its own before <see cref="CopulaFitting.MoreGroups"/>: its rows
    /// join the other small values' group. A cluster of rows needs as many (<see cref="ChooseClusters"/>).
    /// </summary>
    public const int MinGroupRows = 30;

    /// <summary>
    /// A value with fewer training rows than this is not a group of its own from <see cref="CopulaFitting.MoreGroups"/> on. Ten rows
    /// say little of a copula's correlations, but they say what the group's columns hold: a disease of 15 plants among 19 kept the
    /// symptoms it shows, where it was pooled with twelve others before.
    /// </summary>
    public const int MinSmallGroupRows = 10;

    /// <summary>A column with more distinct values than this (null included) is not grouped by.</summary>
    public const int MaxGroupValues = 20;

    /// <summary>Tables of more copula dimensions are not grouped before <see cref="CopulaFitting.MoreGroups"/>.</summary>
    public const int MaxGroupedDimensions = 128;

    /// <summary>
    /// Tables of more copula dimensions are not grouped (from <see cref="CopulaFitting.MoreGroups"/> on): choosing costs a square of
    /// the dimensions per row and a cube per candidate column, about 2 s more for 250 columns on two cores.
    /// </summary>
    public const int MaxGroupedDimensionsWide = 512;

    /// <summary>Rows the choice is made on at most (every stride-th training row): enough to tell a dependence from noise.</summary>
    private const int GroupChoiceRows = 1 << 15;

    /// <summary>Added to the scores' covariances (each of variance about 1) so that a column a group fixes keeps a finite determinant.</summary>
    private const double GroupRidge = 1e-3;

    /// <summary>
    /// The column whose values the other columns depend on most, if one does clearly enough to be worth a copula per value.
    /// Each category (or number) of 2 to <see cref="MaxGroupValues"/> values whose rows split into at least two groups is a
    /// candidate: the normal scores of the other columns are modelled as one Gaussian, or as one per group with its own mean, and
    /// the gain in log-likelihood is weighed by BIC (½ log n per extra mean). The best candidate with a positive balance wins,
    /// so a category that merely happens to shift the others a little, as any category does on a small table, is not grouped by.
    /// A candidate one of whose groups has no value at all in a numeric column is passed over (that group's copula could not
    /// model the column). With no candidate chosen, the rows may still fall into clusters no column names (<see cref="ChooseClusters"/>).
    /// </summary>
    internal static CopulaGroups? ChooseGroups(IReadOnlyList<TableColumn> columns, long seed, ParallelOptions options, CopulaFitting fitting, bool measurementsContinuous,
        bool onlyLargeGroups = false)
    {
        var minGroupRows = fitting >= CopulaFitting.MoreGroups && !onlyLargeGroups ? MinSmallGroupRows : MinGroupRows;
        if (columns.Count < 2 || columns[0].Length < 2 * minGroupRows) return null;
        var rows = columns[0].Length;
        var candidates = new List<(int Column, int[] KeyOfRow, int[] GroupOfKey, int Groups)>();
        for (var c = 0; c < columns.Count; c++)
        {
            if (GroupKeys(columns[c]) is not { } keyOfRow) continue;
            var counts = new long[keyOfRow.Max() + 1];
            foreach (var key in keyOfRow) counts[key]++;
            if (FormGroups(counts, minGroupRows) is { } formed) candidates.Add((c, keyOfRow, formed.GroupOfKey, formed.Groups));
        }
        if (candidates.Count == 0 && !MayCluster(columns, fitting >= CopulaFitting.NullClusters)) return null;

        var stride = (rows + GroupChoiceRows - 1) / GroupChoiceRows;
        var picked = (rows + stride - 1) / stride;
        int[] sampled = [.. Enumerable.Range(0, picked).Select(i => i * stride)];
        var sample = columns.Select(c => c.AtRows(sampled)).ToArray();
        // A number that is nearly always null may have no value among the rows the choice is made on: nothing to choose with.
        if (sample.OfType<NumericColumn>().Any(n => n.NullCount == n.Length)) return null;
        var continuous = ContinuousColumns(columns, measurementsContinuous);
        var models = new CopulaColumn[sample.Length];
        for (var c = 0; c < sample.Length; c++)
            if (sample[c] is NumericColumn numeric) models[c] = FitNumber(numeric, continuous[c], fitting);
        var fitKey = Randomness.SplitMix64.SeedKey(unchecked((ulong)seed));
        OrderCategories(sample, models, fitKey, options, boundedScores: true);
        var dimensions = models.Sum(m => m.Dimensions);
        if (dimensions > (fitting >= CopulaFitting.MoreGroups ? MaxGroupedDimensionsWide : MaxGroupedDimensions)) return null;
        var first = FirstDimensions(models);
        var encoders = BuildEncoders(sample, models, boundedScores: true);
        if (candidates.Count == 0) return ChooseClusters(columns, continuous, sample, stride, encoders, first, dimensions, fitKey, options, fitting);
        var groupsOf = candidates.Select(k => k.Groups).ToArray();
        var sums = SumBlocks(picked, options, () => new GroupSums(groupsOf, dimensions), encoders, fitKey, (s, z, row) =>
        {
            FillMissing(z, fitKey, row);
            s.AddProducts(z);
            for (var k = 0; k < candidates.Count; k++)
                s.AddToGroup(k, candidates[k].GroupOfKey[candidates[k].KeyOfRow[row * stride]], z);
        }, dimensions);

        // Each candidate's balance is two determinants of the other dimensions: on a wide table, a cube each, so they are shared out.
        var balances = new double[candidates.Count];
        Parallel.For(0, candidates.Count, options, k =>
        {
            balances[k] = double.NaN;
            var own = candidates[k].Column;
            var others = Enumerable.Range(0, dimensions).Where(d => d < first[own] || d >= first[own] + models[own].Dimensions).ToArray();
            if (others.Length == 0) return;
            var (total, within) = sums.Scatter(k, others);
            var gain = 0.5 * picked * (LogDeterminant(total, picked) - LogDeterminant(within, picked));
            var penalty = 0.5 * (candidates[k].Groups - 1) * others.Length * Math.Log(picked);
            if (gain > penalty) balances[k] = gain - penalty;
        });
        var ranked = Enumerable.Range(0, candidates.Count).Where(k => !double.IsNaN(balances[k])).Select(k => (Balance: balances[k], Candidate: k));
        foreach (var (_, k) in ranked.OrderByDescending(r => r.Balance).ThenBy(r => r.Candidate))
        {
            var (column, keyOfRow, groupOfKey, groups) = candidates[k];
            var groupOfRow = keyOfRow.Select(key => groupOfKey[key]).ToArray();
            if (EveryGroupHasEveryNumber(columns, groupOfRow, groups)) return new CopulaGroups(column, groupOfRow, groups, continuous);
        }
        return ChooseClusters(columns, continuous, sample, stride, encoders, first, dimensions, fitKey, options, fitting);
    }

    /// <summary>Each row's value of a column as a key numbered in value order (null last); null when it has more than <see cref="MaxGroupValues"/> values.</summary>
    private static int[]? GroupKeys(TableColumn column)
    {
        switch (column)
        {
            case CategoricalColumn categorical:
            {
                var used = new bool[categorical.Categories.Length + 1];
                foreach (var code in categorical.Codes) used[code == CategoricalColumn.Null ? categorical.Categories.Length : code] = true;
                if (used.Count(u => u) > MaxGroupValues) return null;
                var key = new int[used.Length];
                for (int slot = 0, next = 0; slot < used.Length; slot++) key[slot] = used[slot] ? next++ : -1;
                return [.. categorical.Codes.Select(code => key[code == CategoricalColumn.Null ? categorical.Categories.Length : code])];
            }
            case NumericColumn numeric:
            {
                var distinct = new HashSet<double>();
                foreach (var v in numeric.Values)
                    if (distinct.Add(double.IsNaN(v) ? double.NaN : v) && distinct.Count > MaxGroupValues) return null;
                // NaN sorts first in .NET; null is numbered last, as for a category.
                var ordered = distinct.Where(v => !double.IsNaN(v)).Order().ToList();
                if (distinct.Any(double.IsNaN)) ordered.Add(double.NaN);
                var index = new Dictionary<double, int>();
                for (var i = 0; i < ordered.Count; i++) index[ordered[i]] = i;
                return [.. numeric.Values.Select(v => index[v])];
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// Groups from each key's row count: a key of at least <paramref name="minRows"/> rows is a group; the others together are
    /// one more when they reach that count, or join the largest group. Null when that leaves fewer than two groups.
    /// </summary>
    private static (int[] GroupOfKey, int Groups)? FormGroups(long[] counts, int minRows)
    {
        var groupOfKey = new int[counts.Length];
        var groups = 0;
        long rest = 0, largest = -1;
        var largestGroup = -1;
        for (var key = 0; key < counts.Length; key++)
        {
            if (counts[key] >= minRows)
            {
                if (counts[key] > largest) (largest, largestGroup) = (counts[key], groups);
                groupOfKey[key] = groups++;
            }
            else
            {
                groupOfKey[key] = -1;
                rest += counts[key];
            }
        }
        if (groups == 0) return null;
        var restGroup = rest >= minRows ? groups++ : largestGroup;
        for (var key = 0; key < counts.Length; key++)
            if (groupOfKey[key] < 0) groupOfKey[key] = restGroup;
        return groups >= 2 ? (groupOfKey, groups) : null;
    }

    private static bool EveryGroupHasEveryNumber(IReadOnlyList<TableColumn> columns, int[] groupOfRow, int groups)
    {
        foreach (var column in columns.OfType<NumericColumn>())
        {
            var present = new bool[groups];
            for (var r = 0; r < groupOfRow.Length; r++)
                if (!double.IsNaN(column.Values[r])) present[groupOfRow[r]] = true;
            if (present.Any(p => !p)) return false;
        }
        return true;
    }

    /// <summary>
    /// A null number has no score; for the choice of a grouping it gets a standard normal draw of its own (seeded by the row and
    /// dimension), as if unrelated to the rest, rather than a constant that would shrink the column's spread within the groups
    /// with many nulls. That the value is null is its column's null dimension, which has a score.
    /// </summary>
    private static void FillMissing(double[] z, ulong fitKey, long row)
    {
        for (var d = 0; d < z.Length; d++)
            if (double.IsNaN(z[d])) z[d] = Randomness.SplitMix64.ForCell(fitKey ^ MissingScoreSalt, row, d).NextGaussian();
    }

    private const ulong MissingScoreSalt = 0x3C6EF372FE94F82BUL;

    /// <summary>log det(<paramref name="scatter"/> / rows + ridge · I).</summary>
    private static double LogDeterminant(double[,] scatter, int rows)
    {
        var n = scatter.GetLength(0);
        var covariance = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) covariance[i, j] = scatter[i, j] / rows + (i == j ? GroupRidge : 0);
        if (!TryCholesky(covariance, out var lower)) return double.NegativeInfinity;
        var sum = 0.0;
        for (var i = 0; i < n; i++) sum += 2 * Math.Log(lower[i, i]);
        return sum;
    }

    /// <summary>Σ z zᵀ over the rows, and per candidate and group the row count and Σ z.</summary>
    private sealed class GroupSums(int[] groups, int dimensions) : IMergeable<GroupSums>
    {
        private readonly double[] _products = new double[dimensions * dimensions];
        private readonly long[][] _counts = [.. groups.Select(g => new long[g])];
        private readonly double[][] _sums = [.. groups.Select(g => new double[g * dimensions])];

        public void AddProducts(double[] z)
        {
            for (var i = 0; i < dimensions; i++)
            {
                var zi = z[i];
                var row = i * dimensions;
                for (var j = 0; j <= i; j++) _products[row + j] += zi * z[j];
            }
        }

        public void AddToGroup(int candidate, int group, double[] z)
        {
            _counts[candidate][group]++;
            var sums = _sums[candidate];
            var offset = group * dimensions;
            for (var d = 0; d < dimensions; d++) sums[offset + d] += z[d];
        }

        public void Merge(GroupSums other)
        {
            for (var i = 0; i < _products.Length; i++) _products[i] += other._products[i];
            for (var k = 0; k < _counts.Length; k++)
            {
                for (var g = 0; g < _counts[k].Length; g++) _counts[k][g] += other._counts[k][g];
                for (var i = 0; i < _sums[k].Length; i++) _sums[k][i] += other._sums[k][i];
            }
        }

        /// <summary>Over the dimensions <paramref name="of"/>: the scatter around the overall mean, and around each group's own.</summary>
        public (double[,] Total, double[,] Within) Scatter(int candidate, int[] of)
        {
            var n = of.Length;
            var counts = _counts[candidate];
            var sums = _sums[candidate];
            var rows = counts.Sum();
            var total = new double[n, n];
            var within = new double[n, n];
            for (var a = 0; a < n; a++)
                for (var b = 0; b <= a; b++)
                {
                    int i = of[a], j = of[b];
                    var products = _products[Math.Max(i, j) * dimensions + Math.Min(i, j)];
                    double overallI = 0, overallJ = 0, between = 0;
                    for (var g = 0; g < counts.Length; g++)
                    {
                        if (counts[g] == 0) continue;
                        double si = sums[g * dimensions + i], sj = sums[g * dimensions + j];
                        overallI += si;
                        overallJ += sj;
                        between += si * sj / counts[g];
                    }
                    total[a, b] = total[b, a] = products - overallI * overallJ / rows;
                    within[a, b] = within[b, a] = products - between;
                }
            return (total, within);
        }
    }
}
