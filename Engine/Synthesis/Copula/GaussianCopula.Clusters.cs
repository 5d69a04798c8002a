using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// Groups no column names: clusters of rows found in the copula's normal scores (a Gaussian mixture), for a
/// table whose rows fall into kinds it has no column for (two eruption regimes of a geyser, say).
/// </summary>
public sealed partial class GaussianCopula
{
    /// <summary>Clusters tried at most.</summary>
    public const int MaxClusters = 4;

    /// <summary>Tables of more copula dimensions are not clustered: a mixture's covariances would need far more rows.</summary>
    public const int MaxClusteredDimensions = 16;

    /// <summary>Rows the mixture is fitted on at most (evenly spaced among the rows the grouping is chosen on).</summary>
    private const int ClusterRows = 8_192;

    private const int LloydRounds = 10;
    private const int MixtureRounds = 40;

    /// <summary>
    /// Clusters of the training rows when a Gaussian mixture of their normal scores is clearly better than one Gaussian: the
    /// number of components (1 to <see cref="MaxClusters"/>, full covariances, seeded k-means++ then EM) with the lowest BIC,
    /// null when that is one. A row's scores are each column's value score (a number's null indicator is not one of them).
    /// The mixture is fitted to rows with every number, which must be at least half of them; every training row then joins its
    /// most probable component, a row with nulls given the scores it has (the components' marginals over those). A cluster of fewer than
    /// <see cref="MinGroupRows"/> rows, or without a value of some number, drops the clustering.
    /// </summary>
    /// <param name="stride">The sample is every stride-th training row.</param>
    /// <param name="first">Each column's first copula dimension: its value score.</param>
    private static CopulaGroups? ChooseClusters(IReadOnlyList<TableColumn> columns, bool[] continuous, TableColumn[] sample, int stride, Encoder[] sampleEncoders,
        int[] first, int dimensions, ulong fitKey, ParallelOptions options, CopulaFitting fitting)
    {
        if (!MayCluster(columns, fitting >= CopulaFitting.NullClusters)) return null;
        var step = (sample[0].Length + ClusterRows - 1) / ClusterRows;
        var scores = new List<double[]>();
        var fitted = new List<int>();
        var full = new double[dimensions];
        var visited = 0;
        for (var row = 0; row < sample[0].Length; row += step)
        {
            visited++;
            var d = 0;
            foreach (var encode in sampleEncoders) d = encode(row, fitKey, full, d);
            var z = new double[first.Length];
            if (!ValueScores(full, first, z)) continue;
            scores.Add(z);
            fitted.Add(row);
        }
        // The mixture is fitted to the rows with every number, so they must be most of the table: where nulls follow a pattern
        // (price series that begin at different dates), the complete rows are one era, and clusters of them say little of the rest.
        if (scores.Count < 2 * MinGroupRows || 2 * scores.Count < visited) return null;
        var x = scores.ToArray();
        var n = x.Length;
        var best = Mixture.Single(x);
        var bestCriterion = best.Criterion(n);
        for (var k = 2; k <= MaxClusters; k++)
        {
            if (Mixture.Fit(x, k, fitKey) is not { } mixture) continue;
            var criterion = mixture.Criterion(n);
            if (criterion < bestCriterion) (best, bestCriterion) = (mixture, criterion);
        }
        if (best.Components == 1) return null;

        // Every training row's scores under models of the whole table, and its most probable component.
        var models = new CopulaColumn[columns.Count];
        for (var c = 0; c < columns.Count; c++)
            if (columns[c] is NumericColumn numeric) models[c] = FitNumber(numeric, continuous[c], fitting);
        OrderCategories(columns, models, fitKey, options, boundedScores: true);
        var encoders = BuildEncoders(columns, models, boundedScores: true);
        var wholeFirst = FirstDimensions(models);
        var wholeDimensions = models.Sum(m => m.Dimensions);
        if (stride > 1)
        {
            // The sample's marginals and category orders are near the whole table's, not equal: the chosen number of components
            // is fitted again to the same rows' scores under the whole table's models, which every row is then assigned with.
            var z = new double[wholeDimensions];
            for (var i = 0; i < n; i++)
            {
                var d = 0;
                foreach (var encode in encoders) d = encode(fitted[i] * stride, fitKey, z, d);
                ValueScores(z, wholeFirst, x[i]);
            }
            if (Mixture.Fit(x, best.Components, fitKey) is not { } refitted) return null;
            best = refitted;
        }
        var rows = columns[0].Length;
        var groupOfRow = new int[rows];
        var partial = new System.Collections.Concurrent.ConcurrentBag<int>();
        var blocks = (rows + Block - 1) / Block;
        Parallel.For(0, blocks, options, b =>
        {
            var z = new double[wholeDimensions];
            var values = new double[columns.Count];
            var scratch = new double[columns.Count];
            for (var row = b * Block; row < Math.Min(rows, (b + 1) * Block); row++)
            {
                var d = 0;
                foreach (var encode in encoders) d = encode(row, fitKey, z, d);
                if (ValueScores(z, wholeFirst, values)) groupOfRow[row] = best.MostProbable(values, scratch);
                else partial.Add(row);
            }
        });
        // Rows with nulls, one at a time: the component most probable given the scores they have (each missing pattern's marginals
        // computed once). Their scores are encoded again rather than kept: the same draws, and no array per row held meanwhile.
        var again = new double[wholeDimensions];
        var given = new double[columns.Count];
        foreach (var row in partial)
        {
            var d = 0;
            foreach (var encode in encoders) d = encode(row, fitKey, again, d);
            ValueScores(again, wholeFirst, given);
            groupOfRow[row] = best.MostProbableGiven(given);
        }
        var sizes = new long[best.Components];
        foreach (var g in groupOfRow) sizes[g]++;
        if (sizes.Any(s => s < MinGroupRows)) return null;
        if (!partial.IsEmpty && !EveryGroupHasEveryNumber(columns, groupOfRow, best.Components)) return null;
        return new CopulaGroups(-1, groupOfRow, best.Components, continuous);
    }

    /// <summary>Each column's value score of a row's copula scores into <paramref name="values"/> (NaN for a null number); false when one is NaN.</summary>
    private static bool ValueScores(double[] z, int[] first, double[] values)
    {
        var complete = true;
        for (var c = 0; c < first.Length; c++) complete &= !double.IsNaN(values[c] = z[first[c]]);
        return complete;
    }

    /// <summary>
    /// Whether a table may be clustered: at most <see cref="MaxClusteredDimensions"/> columns, and no null number unless
    /// <paramref name="nullClusters"/> (before <see cref="CopulaFitting.NullClusters"/>, a null's missing score kept such tables out).
    /// </summary>
    private static bool MayCluster(IReadOnlyList<TableColumn> columns, bool nullClusters) =>
        columns.Count <= MaxClusteredDimensions && (nullClusters || !columns.OfType<NumericColumn>().Any(n => n.NullCount > 0));

    /// <summary>A Gaussian mixture with full covariances (each with <see cref="GroupRidge"/> added), and its log-likelihood on the rows it was fitted to.</summary>
    private sealed class Mixture
    {
        private readonly double[] _logWeights;
        private readonly double[][] _means;
        /// <summary>Each component's Cholesky factor, and ½ log det Σ + (d/2) log 2π.</summary>
        private readonly double[][,] _lower;
        private readonly double[] _logNorm;

        private readonly double[][,] _covariances;

        /// <summary>Per pattern of present scores (a bit per column): each component's marginal over them, for <see cref="MostProbableGiven"/>.</summary>
        private readonly Dictionary<ulong, (int[] Present, Mixture Marginal)> _marginals = [];

        private Mixture(double[] weights, double[][] means, double[][,] covariances, double logLikelihood)
        {
            _logWeights = [.. weights.Select(w => Math.Log(w))];
            _means = means;
            _covariances = covariances;
            _lower = new double[weights.Length][,];
            _logNorm = new double[weights.Length];
            for (var k = 0; k < weights.Length; k++)
            {
                if (!TryCholesky(covariances[k], out var lower)) throw new ArgumentException("a component's covariance is not positive definite.");
                _lower[k] = lower;
                var d = means[k].Length;
                var logDet = 0.0;
                for (var i = 0; i < d; i++) logDet += Math.Log(lower[i, i]);
                _logNorm[k] = logDet + 0.5 * d * Math.Log(2 * Math.PI);
            }
            LogLikelihood = logLikelihood;
        }

        public int Components => _means.Length;

        public double LogLikelihood { get; private set; }

        /// <summary>BIC: −2 log L + (parameters) log n.</summary>
        public double Criterion(int rows)
        {
            var d = _means[0].Length;
            var parameters = Components - 1 + Components * (d + d * (d + 1) / 2.0);
            return -2 * LogLikelihood + parameters * Math.Log(rows);
        }

        /// <summary>log π_k + log N(x | μ_k, Σ_k).</summary>
        private double LogDensity(int k, double[] x, double[] scratch)
        {
            var lower = _lower[k];
            var mean = _means[k];
            var d = x.Length;
            var squared = 0.0;
            for (var i = 0; i < d; i++)
            {
                var sum = x[i] - mean[i];
                for (var j = 0; j < i; j++) sum -= lower[i, j] * scratch[j];
                scratch[i] = sum / lower[i, i];
                squared += scratch[i] * scratch[i];
            }
            return _logWeights[k] - _logNorm[k] - 0.5 * squared;
        }

        public int MostProbable(double[] x, double[] scratch)
        {
            var best = 0;
            var top = double.NegativeInfinity;
            for (var k = 0; k < Components; k++)
            {
                var density = LogDensity(k, x, scratch);
                if (density > top) (top, best) = (density, k);
            }
            return best;
        }

        /// <summary>
        /// The most probable component for scores with NaN where a number is null: under each component's marginal over the
        /// scores present (a Gaussian's marginal is its mean and covariance restricted to them); with none present, the heaviest.
        /// </summary>
        public int MostProbableGiven(double[] x)
        {
            var pattern = 0UL;
            for (var j = 0; j < x.Length; j++)
                if (!double.IsNaN(x[j])) pattern |= 1UL << j;
            if (!_marginals.TryGetValue(pattern, out var entry))
            {
                var present = Enumerable.Range(0, x.Length).Where(j => (pattern >> j & 1) == 1).ToArray();
                var marginal = present.Length == 0 ? null : new Mixture([.. _logWeights.Select(Math.Exp)],
                    [.. _means.Select(m => present.Select(j => m[j]).ToArray())],
                    [.. _covariances.Select(c =>
                    {
                        var sub = new double[present.Length, present.Length];
                        for (var a = 0; a < present.Length; a++)
                            for (var b = 0; b < present.Length; b++) sub[a, b] = c[present[a], present[b]];
                        return sub;
                    })], 0);
                _marginals[pattern] = entry = (present, marginal!);
            }
            if (entry.Present.Length == 0) return Array.IndexOf(_logWeights, _logWeights.Max());
            return entry.Marginal.MostProbable([.. entry.Present.Select(j => x[j])], new double[entry.Present.Length]);
        }

        /// <summary>One Gaussian: the rows' mean and covariance.</summary>
        public static Mixture Single(double[][] x)
        {
            var responsibilities = x.Select(_ => new[] { 1.0 }).ToArray();
            var (weights, means, covariances) = Maximize(x, responsibilities, 1)!.Value;
            var single = new Mixture(weights, means, covariances, 0);
            single.LogLikelihood = single.Expect(x, responsibilities);
            return single;
        }

        /// <summary>
        /// <paramref name="components"/> components: k-means++ seeds from the (key, components) stream, <see cref="LloydRounds"/>
        /// rounds of k-means, then EM; null when a component empties.
        /// </summary>
        public static Mixture? Fit(double[][] x, int components, ulong key)
        {
            var n = x.Length;
            var d = x[0].Length;
            var random = SplitMix64.ForCell(key, components, 0);
            var centres = new List<double[]> { (double[])x[(int)random.NextBelow((ulong)n)].Clone() };
            var nearest = new double[n];
            while (centres.Count < components)
            {
                var total = 0.0;
                for (var i = 0; i < n; i++) total += nearest[i] = centres.Min(c => Distance(x[i], c));
                if (total <= 0) return null;
                var u = random.NextDouble() * total;
                var pick = 0;
                for (var acc = nearest[0]; acc < u && pick < n - 1; acc += nearest[++pick]) { }
                centres.Add((double[])x[pick].Clone());
            }
            var label = new int[n];
            for (var round = 0; round < LloydRounds; round++)
            {
                for (var i = 0; i < n; i++)
                {
                    var best = 0;
                    for (var k = 1; k < components; k++)
                        if (Distance(x[i], centres[k]) < Distance(x[i], centres[best])) best = k;
                    label[i] = best;
                }
                for (var k = 0; k < components; k++)
                {
                    var members = Enumerable.Range(0, n).Where(i => label[i] == k).ToArray();
                    if (members.Length == 0) continue;
                    for (var j = 0; j < d; j++) centres[k][j] = members.Sum(i => x[i][j]) / members.Length;
                }
            }
            var responsibilities = new double[n][];
            for (var i = 0; i < n; i++)
            {
                responsibilities[i] = new double[components];
                responsibilities[i][label[i]] = 1;
            }
            Mixture? mixture = null;
            var previous = double.NegativeInfinity;
            for (var round = 0; round < MixtureRounds; round++)
            {
                if (Maximize(x, responsibilities, components) is not var (weights, means, covariances)) return null;
                mixture = new Mixture(weights, means, covariances, 0);
                var logLikelihood = mixture.Expect(x, responsibilities);
                mixture.LogLikelihood = logLikelihood;
                if (logLikelihood - previous < 1e-6 * n) break;
                previous = logLikelihood;
            }
            return mixture;
        }

        private static double Distance(double[] a, double[] b)
        {
            var sum = 0.0;
            for (var j = 0; j < a.Length; j++) sum += (a[j] - b[j]) * (a[j] - b[j]);
            return sum;
        }

        /// <summary>The M step: weights, means and covariances from the responsibilities; null when a component has under two rows' weight.</summary>
        private static (double[] Weights, double[][] Means, double[][,] Covariances)? Maximize(double[][] x, double[][] responsibilities, int components)
        {
            var n = x.Length;
            var d = x[0].Length;
            var weights = new double[components];
            var means = new double[components][];
            var covariances = new double[components][,];
            for (var k = 0; k < components; k++)
            {
                var mass = 0.0;
                var mean = new double[d];
                for (var i = 0; i < n; i++)
                {
                    var r = responsibilities[i][k];
                    if (r == 0) continue;
                    mass += r;
                    for (var j = 0; j < d; j++) mean[j] += r * x[i][j];
                }
                if (mass < 2) return null;
                for (var j = 0; j < d; j++) mean[j] /= mass;
                var covariance = new double[d, d];
                for (var i = 0; i < n; i++)
                {
                    var r = responsibilities[i][k];
                    if (r == 0) continue;
                    for (var a = 0; a < d; a++)
                    {
                        var da = x[i][a] - mean[a];
                        for (var b = 0; b <= a; b++) covariance[a, b] += r * da * (x[i][b] - mean[b]);
                    }
                }
                for (var a = 0; a < d; a++)
                    for (var b = 0; b <= a; b++) covariance[a, b] = covariance[b, a] = covariance[a, b] / mass + (a == b ? GroupRidge : 0);
                weights[k] = mass / n;
                means[k] = mean;
                covariances[k] = covariance;
            }
            return (weights, means, covariances);
        }

        /// <summary>The E step: each row's responsibilities under this mixture, written over <paramref name="responsibilities"/>; returns the log-likelihood.</summary>
        private double Expect(double[][] x, double[][] responsibilities)
        {
            var scratch = new double[x[0].Length];
            var densities = new double[Components];
            var total = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                var top = double.NegativeInfinity;
                for (var k = 0; k < Components; k++) top = Math.Max(top, densities[k] = LogDensity(k, x[i], scratch));
                var sum = 0.0;
                for (var k = 0; k < Components; k++) sum += densities[k] = Math.Exp(densities[k] - top);
                for (var k = 0; k < Components; k++) responsibilities[i][k] = densities[k] / sum;
                total += top + Math.Log(sum);
            }
            return total;
        }
    }
}
