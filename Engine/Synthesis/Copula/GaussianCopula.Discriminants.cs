namespace RadMah.Engine.Synthesis.Copula;

/// <summary>The copula's categories drawn given the other columns (<see cref="CategoryDiscriminant"/>): fitting them, and checking stored ones.</summary>
public sealed partial class GaussianCopula
{
    /// <summary>
    /// A column drawn by its discriminant has its own dimension uncorrelated with the rest (it is the uniform that picks the value), and
    /// depends only on dimensions of columns that are not drawn that way.
    /// </summary>
    private void CheckDiscriminants(IReadOnlyList<CopulaColumn> columns, double[,] correlation)
    {
        var picked = new HashSet<int>();
        for (var c = 0; c < columns.Count; c++)
            if (columns[c] is DiscreteColumn { Discriminant: not null }) picked.Add(_firstDimension[c]);
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c] is not DiscreteColumn { Discriminant: { } discriminant }) continue;
            var own = _firstDimension[c];
            if (discriminant.Features.Any(f => f < 0 || f >= Dimensions || picked.Contains(f)))
                throw new FormatException($"column '{columns[c].Name}': a discriminant depends on dimensions of columns the copula draws, not on another discriminant's.");
            for (var j = 0; j < Dimensions; j++)
                if (j != own && correlation[own, j] != 0) throw new FormatException($"column '{columns[c].Name}': a discriminant's own dimension must be uncorrelated.");
        }
    }

    /// <summary>
    /// Fits a discriminant to each category of 3 to <paramref name="maxValues"/> values, over the dimensions of the
    /// other columns (not over another such category), and keeps it where it predicts the training rows' values clearly better than
    /// their shares do; a kept one's own dimension becomes uncorrelated (a block of the identity stays positive definite). A training row's
    /// value is read back from its score: each value owns an interval of the column's scale.
    /// </summary>
    private static void FitDiscriminants(CopulaColumn[] models, double[,] correlation, int rows, Encoder[] encoders, ulong fitKey, ParallelOptions options,
        int maxValues)
    {
        var first = FirstDimensions(models);
        var chosen = Enumerable.Range(0, models.Length)
            .Where(c => models[c] is DiscreteColumn { Categories: not null, Intervals.Count: >= 3 } discrete && discrete.Intervals.Count <= maxValues).ToArray();
        if (chosen.Length == 0) return;
        var dimensions = correlation.GetLength(0);
        var picked = chosen.Select(c => first[c]).ToHashSet();
        var features = Enumerable.Range(0, dimensions).Where(d => !picked.Contains(d)).ToArray();
        if (features.Length == 0) return;
        var values = chosen.Select(c => ((DiscreteColumn)models[c]).Intervals.Count).ToArray();
        var sums = SumBlocks(rows, options, () => new DiscriminantSums(values, features.Length), encoders, fitKey, (s, z) =>
        {
            var x = s.Features;
            for (var f = 0; f < features.Length; f++) x[f] = double.IsNaN(z[features[f]]) ? 0 : z[features[f]];
            s.AddFeatures();
            for (var k = 0; k < chosen.Length; k++) s.AddValue(k, ((DiscreteColumn)models[chosen[k]]).Intervals.ValueAtScore(z[first[chosen[k]]]));
        }, dimensions);
        var fitted = Enumerable.Range(0, chosen.Length).Select(k => CategoryDiscriminant.Fit(features, sums.Counts[k], sums.Sums[k], sums.WithinScatter(k))).ToArray();
        // How much better each discriminant predicts the training rows' values than their shares do (nats per row), on every
        // stride-th row, 262,144 rows at most: enough to tell a relation from noise; a pass over a million rows costs as much as a fit.
        var stride = (rows + (1 << 18) - 1) >> 18;
        var judged = (rows + stride - 1) / stride;
        var gains = SumBlocks(rows, options, () => new LogLikelihoodGains(chosen.Length, dimensions), encoders, fitKey, (g, z) =>
        {
            var x = g.Scores;
            for (var d = 0; d < dimensions; d++) x[d] = double.IsNaN(z[d]) ? 0 : z[d];
            for (var k = 0; k < chosen.Length; k++)
            {
                var column = (DiscreteColumn)models[chosen[k]];
                var value = column.Intervals.ValueAtScore(z[first[chosen[k]]]);
                var posterior = g.Posterior.AsSpan(0, fitted[k].Values);
                fitted[k].Posterior(x, posterior);
                g.Add(k, Math.Log(Math.Max(posterior[value], 1e-300)) - Math.Log(column.Intervals.Upper[value] - column.Intervals.Lower(value)));
            }
        }, dimensions, stride);
        for (var k = 0; k < chosen.Length; k++)
        {
            // A discriminant fitted to noise still gains about (values − 1) × features / (2 rows) nats per row on its own rows; twice that
            // is asked, so that a category the other columns do not explain keeps its place in the copula (and sampling stays cheap).
            if (gains.PerRow(k, judged) <= (double)(fitted[k].Values - 1) * features.Length / judged) continue;
            models[chosen[k]] = ((DiscreteColumn)models[chosen[k]]).With(fitted[k]);
            var own = first[chosen[k]];
            for (var j = 0; j < dimensions; j++)
                if (j != own) correlation[own, j] = correlation[j, own] = 0;
        }
    }

    /// <summary>Per discriminant: the sum over rows of log P(value | scores) − log share(value).</summary>
    private sealed class LogLikelihoodGains(int columns, int dimensions) : IMergeable<LogLikelihoodGains>
    {
        private readonly double[] _sums = new double[columns];

        public double[] Scores { get; } = new double[dimensions];

        public double[] Posterior { get; } = new double[CategoryDiscriminant.MaxValuesWide];

        public void Add(int column, double gain) => _sums[column] += gain;

        public double PerRow(int column, int rows) => _sums[column] / rows;

        public void Merge(LogLikelihoodGains other)
        {
            for (var c = 0; c < _sums.Length; c++) _sums[c] += other._sums[c];
        }
    }

    /// <summary>For the discriminants: the features' sums of squares and products, and per column and value the row count and feature sums.</summary>
    private sealed class DiscriminantSums(int[] values, int features) : IMergeable<DiscriminantSums>
    {
        private readonly double[] _products = new double[features * features];

        public double[] Features { get; } = new double[features];

        public long[][] Counts { get; } = values.Select(v => new long[v]).ToArray();

        public double[][][] Sums { get; } = values.Select(v => Enumerable.Range(0, v).Select(_ => new double[features]).ToArray()).ToArray();

        public void AddFeatures()
        {
            for (var i = 0; i < features; i++)
                for (var j = 0; j < features; j++) _products[i * features + j] += Features[i] * Features[j];
        }

        public void AddValue(int column, int value)
        {
            Counts[column][value]++;
            var sums = Sums[column][value];
            for (var i = 0; i < features; i++) sums[i] += Features[i];
        }

        public void Merge(DiscriminantSums other)
        {
            for (var i = 0; i < _products.Length; i++) _products[i] += other._products[i];
            for (var c = 0; c < Counts.Length; c++)
                for (var v = 0; v < Counts[c].Length; v++)
                {
                    Counts[c][v] += other.Counts[c][v];
                    for (var i = 0; i < features; i++) Sums[c][v][i] += other.Sums[c][v][i];
                }
        }

        /// <summary>Σ x xᵀ − Σ over values of n μ μᵀ: the scatter of the features around each value's own mean.</summary>
        public double[,] WithinScatter(int column)
        {
            var scatter = new double[features, features];
            for (var i = 0; i < features; i++)
                for (var j = 0; j < features; j++)
                {
                    var between = 0.0;
                    for (var v = 0; v < Counts[column].Length; v++)
                        if (Counts[column][v] > 0) between += Sums[column][v][i] * Sums[column][v][j] / Counts[column][v];
                    scatter[i, j] = _products[i * features + j] - between;
                }
            return scatter;
        }
    }
}
