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
    /// null when that is one. Every training row then joins its most probable component; a cluster of fewer than
    /// <see cref="MinGroupRows"/> rows drops the clustering. Tables with a null number are not clustered.
    /// </summary>
    /// <param name="stride">The sample is every stride-th training row.</param>
    private static CopulaGroups? ChooseClusters(IReadOnlyList<TableColumn> columns, bool[] continuous, TableColumn[] sample, int stride, Encoder[] sampleEncoders,
        int dimensions, ulong fitKey, ParallelOptions options)
    {
        if (!MayCluster(columns)) return null;
        var step = (sample[0].Length + ClusterRows - 1) / ClusterRows;
        var scores = new List<double[]>();
        for (var row = 0; row < sample[0].Length; row += step)
        {
            var z = new double[dimensions];
            var d = 0;
            foreach (var encode in sampleEncoders) d = encode(row, fitKey, z, d);
            scores.Add(z);
        }
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
            if (columns[c] is NumericColumn numeric) models[c] = FitNumber(numeric, continuous[c]);
        OrderCategories(columns, models, fitKey, options, boundedScores: true);
        var encoders = BuildEncoders(columns, models, boundedScores: true);
        if (stride > 1)
        {
            // The sample's marginals and category orders are near the whole table's, not equal: the chosen number of components
            // is fitted again to the same rows' scores under the whole table's models, which every row is then assigned with.
            for (var i = 0; i < n; i++)
            {
                var d = 0;
                foreach (var encode in encoders) d = encode(i * step * stride, fitKey, x[i], d);
            }
            if (Mixture.Fit(x, best.Components, fitKey) is not { } refitted) return null;
            best = refitted;
        }
        var rows = columns[0].Length;
        var groupOfRow = new int[rows];
        var blocks = (rows + Block - 1) / Block;
        Parallel.For(0, blocks, options, b =>
        {
            var z = new double[dimensions];
            var scratch = new double[dimensions];
            for (var row = b * Block; row < Math.Min(rows, (b + 1) * Block); row++)
            {
                var d = 0;
                foreach (var encode in encoders) d = encode(row, fitKey, z, d);
                groupOfRow[row] = best.MostProbable(z, scratch);
            }
        });
        var sizes = new long[best.Components];
        foreach (var g in groupOfRow) sizes[g]++;
        if (sizes.Any(s => s < MinGroupRows)) return null;
        return new CopulaGroups(-1, groupOfRow, best.Components, continuous);
    }

    /// <summary>
    /// Whether a table may be clustered: no null number (a null's score is missing; whatever stands in for it, the null rows'
    /// joint differs from the others', and a mixture takes them for a cluster of their own), so every column is one copula
    /// dimension, and at most <see cref="MaxClusteredDimensions"/> of them.
    /// </summary>
    private static bool MayCluster(IReadOnlyList<TableColumn> columns) =>
        columns.Count <= MaxClusteredDimensions && !columns.OfType<NumericColumn>().Any(n => n.NullCount > 0);

    /// <summary>A Gaussian mixture with full covariances (each with <see cref="GroupRidge"/> added), and its log-likelihood on the rows it was fitted to.</summary>
    private sealed class Mixture
    {
        private readonly double[] _logWeights;
        private readonly double[][] _means;
        /// <summary>Each component's Cholesky factor, and ½ log det Σ + (d/2) log 2π.</summary>
        private readonly double[][,] _lower;
        private readonly double[] _logNorm;

        private Mixture(double[] weights, double[][] means, double[][,] covariances, double logLikelihood)
        {
            _logWeights = [.. weights.Select(w => Math.Log(w))];
            _means = means;
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
