using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A Gaussian copula: each column's distribution on its own (<see cref="CopulaColumn"/>), and the
/// correlation of the columns' normal scores, which carries the dependence between them. Fitting
/// and sampling are deterministic: every random draw comes from the (seed, row, dimension) stream
/// of <see cref="SplitMix64"/>, and sums are taken in a fixed order whatever the thread count.
/// </summary>
public sealed partial class GaussianCopula : IRowSampler
{
    /// <summary>Numbers with at most this many distinct values are modelled as discrete.</summary>
    public const int DiscreteNumberLimit = 32;

    private const int Block = 1 << 16;
    /// <summary>The Cholesky factor's lower triangle, row by row (row i starts at i(i+1)/2).</summary>
    private readonly double[] _lower;

    public GaussianCopula(IReadOnlyList<CopulaColumn> columns, double[,] correlation, CopulaSampling sampling = CopulaSampling.Stratified,
        bool presentOntoMarginals = false)
    {
        Columns = columns;
        Correlation = correlation;
        Sampling = sampling;
        PresentOntoMarginals = presentOntoMarginals && sampling != CopulaSampling.Independent;
        Dimensions = columns.Sum(c => c.Dimensions);
        if (correlation.GetLength(0) != Dimensions || correlation.GetLength(1) != Dimensions)
            throw new ArgumentException($"the correlation matrix must be {Dimensions} × {Dimensions}.");
        _firstDimension = FirstDimensions(columns);
        CheckDiscriminants(columns, correlation);
        _hasDiscriminants = columns.Any(c => c is DiscreteColumn { Discriminant: not null });
        var cholesky = Cholesky(correlation);
        _lower = new double[Dimensions * (Dimensions + 1) / 2];
        for (int i = 0, p = 0; i < Dimensions; i++)
            for (var k = 0; k <= i; k++) _lower[p++] = cholesky[i, k];
        _categoryTexts = columns.Select(c => c is DiscreteColumn { Categories: { } categories } ? categories.Select(v => v ?? "").ToArray() : null).ToArray();
        _sampled = columns.Select((c, i) => new SampledColumn(c.Name, _categoryTexts[i])).ToArray();
    }

    private readonly SampledColumn[] _sampled;

    /// <summary>
    /// Whether each stratified block's present values of a nullable number are moved, in their order, onto the column's
    /// marginal (<see cref="CopulaFitting.PrecisionKept"/> on). The marginal is fitted to the present values, but the copula draws the
    /// column's score for every row and keeps it where its null indicator says present: where being present goes with other columns
    /// the score goes with too (an event's date with a risk score), the kept scores lean one way, and so did the values (a survival
    /// table's sparse event dates: 0.54 on the KS complement against 0.99 drawing the column on its own).
    /// </summary>
    public bool PresentOntoMarginals { get; }

    private readonly bool _hasDiscriminants;

    /// <summary>Each column's first copula dimension.</summary>
    private readonly int[] _firstDimension;

    private static int[] FirstDimensions(IReadOnlyList<CopulaColumn> columns)
    {
        var first = new int[columns.Count];
        for (int c = 0, d = 0; c < columns.Count; d += columns[c].Dimensions, c++) first[c] = d;
        return first;
    }

    IReadOnlyList<SampledColumn> IRowSampler.Columns => _sampled;

    /// <summary>Each categorical column's values as sampled columns name them (null's slot as "", never used: its code is −1).</summary>
    private readonly string[]?[] _categoryTexts;

    public IReadOnlyList<CopulaColumn> Columns { get; }

    /// <summary>The correlation of the normal scores, positive definite, one row per dimension.</summary>
    public double[,] Correlation { get; }

    public int Dimensions { get; }

    /// <summary>How a block's rows are drawn: stratified for every copula fitted now; independent for one read from older JSON.</summary>
    public CopulaSampling Sampling { get; }

    /// <summary>
    /// Fits the copula to <paramref name="columns"/> (all the same length). <paramref name="seed"/>
    /// places each training row's score inside its value's interval; <paramref name="fitting"/> is the
    /// sealed contract's (<see cref="SynthesisRevision"/>).
    /// </summary>
    public static GaussianCopula Fit(IReadOnlyList<TableColumn> columns, long seed, int parallelism = 1, CopulaFitting fitting = CopulaFitting.BoundedScores,
        CancellationToken cancellationToken = default) => Fit(columns, seed, parallelism, fitting, continuous: null, cancellationToken);

    /// <summary>
    /// As the public <see cref="Fit(IReadOnlyList{TableColumn}, long, int, CopulaFitting, CancellationToken)"/>; a number marked in
    /// <paramref name="continuous"/> is modelled as continuous however few distinct values it has here (a group's rows of a
    /// column that is continuous in the whole table: as discrete, its values would be the group's, copied).
    /// </summary>
    internal static GaussianCopula Fit(IReadOnlyList<TableColumn> columns, long seed, int parallelism, CopulaFitting fitting, bool[]? continuous,
        CancellationToken cancellationToken)
    {
        if (columns.Count == 0) throw new ArgumentException("there is no column to model.");
        var rows = columns[0].Length;
        if (rows < 2) throw new ArgumentException("a copula needs at least two rows.");
        if (columns.Any(c => c.Length != rows)) throw new ArgumentException("every column must have the same number of rows.");
        var fitKey = SplitMix64.SeedKey(unchecked((ulong)seed));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        var models = new CopulaColumn[columns.Count];
        Parallel.For(0, columns.Count, options, i =>
        {
            if (columns[i] is NumericColumn numeric) models[i] = FitNumber(numeric, continuous?[i] ?? false, fitting);
        });
        var bounded = fitting >= CopulaFitting.BoundedScores;
        OrderCategories(columns, models, fitKey, options, bounded);
        var dimensions = models.Sum(m => m.Dimensions);
        var encoders = BuildEncoders(columns, models, bounded);
        var sums = SumBlocks(rows, options, () => new PairSums(dimensions), encoders, fitKey, (sum, z) => sum.Add(z), dimensions);
        var correlation = NearestCorrelation(sums.Correlation());
        if (fitting >= CopulaFitting.PearsonMatched)
            correlation = NearestCorrelation(PearsonMatching.Matched(columns, models, FirstDimensions(models), correlation, options));
        if (fitting == CopulaFitting.RowByRow) return new GaussianCopula(models, correlation, CopulaSampling.Independent);
        FitDiscriminants(models, correlation, rows, encoders, fitKey, options, CategoryDiscriminant.MaxValuesOf(fitting));
        var sampling = fitting >= CopulaFitting.WhitenedBlocks ? CopulaSampling.StratifiedWhitened
            : fitting >= CopulaFitting.ZigguratScores ? CopulaSampling.StratifiedZiggurat : CopulaSampling.Stratified;
        return new GaussianCopula(models, correlation, sampling,
            presentOntoMarginals: fitting >= CopulaFitting.PrecisionKept);
    }

    /// <summary>
    /// Whether the copula models <paramref name="numeric"/> as continuous: more than <see cref="DiscreteNumberLimit"/> distinct values,
    /// or, with <paramref name="measurementsContinuous"/>, a measurement (<see cref="IsMeasurement"/>).
    /// </summary>
    internal static bool IsContinuous(NumericColumn numeric, bool measurementsContinuous)
    {
        var (distinct, present) = CountDistinct(numeric, DiscreteNumberLimit + 1);
        return distinct > DiscreteNumberLimit || measurementsContinuous && IsMeasurement(distinct, present);
    }

    /// <summary>The fewest distinct values a measurement has (<see cref="IsMeasurement"/>).</summary>
    public const int MinMeasurementValues = 8;

    /// <summary>
    /// Whether some number of <paramref name="columns"/> is a measurement: at most <see cref="DiscreteNumberLimit"/> distinct values,
    /// so discrete by default, but at least <see cref="MinMeasurementValues"/> and more than half of its present values, so its values
    /// mostly do not repeat (a small table's weights or prices, not its levels or counts).
    /// </summary>
    public static bool HasMeasurements(IReadOnlyList<TableColumn> columns) => Measurements(columns).Any();

    /// <summary>The names of the measurements among <paramref name="columns"/> (<see cref="HasMeasurements"/>).</summary>
    public static IEnumerable<string> Measurements(IReadOnlyList<TableColumn> columns) =>
        columns.OfType<NumericColumn>().Where(n => CountDistinct(n, DiscreteNumberLimit + 1) is var (distinct, present)
            && distinct <= DiscreteNumberLimit && IsMeasurement(distinct, present)).Select(n => n.Name);

    private static bool IsMeasurement(int distinct, int present) => distinct >= MinMeasurementValues && 2 * distinct > present;

    /// <summary>The distinct present values of <paramref name="numeric"/>, counted up to <paramref name="limit"/>, and its present values.</summary>
    private static (int Distinct, int Present) CountDistinct(NumericColumn numeric, int limit)
    {
        var seen = new HashSet<double>();
        var present = 0;
        foreach (var v in numeric.Values)
        {
            if (double.IsNaN(v)) continue;
            present++;
            if (seen.Add(v) && seen.Count >= limit) return (seen.Count, present);
        }
        return (seen.Count, present);
    }

    /// <summary>Which of <paramref name="columns"/> the copula models as continuous (<see cref="IsContinuous"/>).</summary>
    internal static bool[] ContinuousColumns(IReadOnlyList<TableColumn> columns, bool measurementsContinuous) =>
        [.. columns.Select(c => c is NumericColumn n && IsContinuous(n, measurementsContinuous))];

    private static CopulaColumn FitNumber(NumericColumn numeric, bool continuous, CopulaFitting fitting)
    {
        var present = numeric.Values.Where(v => !double.IsNaN(v)).ToArray();
        if (present.Length == 0) throw new ArgumentException($"column '{numeric.Name}' has no value to model.");
        Array.Sort(present);
        var nullRate = (double)(numeric.Length - present.Length) / numeric.Length;
        var distinct = new List<(double Value, long Count)>();
        foreach (var v in present)
        {
            if (distinct.Count > 0 && distinct[^1].Value == v) distinct[^1] = (v, distinct[^1].Count + 1);
            else if (distinct.Count <= DiscreteNumberLimit) distinct.Add((v, 1));
            else break;
        }
        if (distinct.Count <= DiscreteNumberLimit && !continuous)
            return new DiscreteColumn(numeric.Name, null, distinct.Select(d => d.Value).ToArray(), numeric.Role, false,
                Intervals.FromCounts(distinct.Select(d => d.Count).ToArray()), nullRate);
        return new ContinuousColumn(numeric.Name, numeric.Role, numeric.Decimals, Marginal.Fit(present, midpointQuantiles: fitting >= CopulaFitting.MarginalsRefined), nullRate);
    }

    /// <summary>
    /// Orders each categorical column's values along the main axis of where their rows sit on the
    /// numeric columns (the first principal component of the per-value mean scores, weighted by
    /// frequency), so that a category that follows a number keeps following it through the
    /// copula's correlation. Without numeric columns, or when the values do not differ there, the
    /// order is SDV's: most frequent first, ties in order of first appearance.
    /// </summary>
    private static void OrderCategories(IReadOnlyList<TableColumn> columns, CopulaColumn[] models, ulong fitKey, ParallelOptions options, bool boundedScores)
    {
        var categorical = Enumerable.Range(0, columns.Count).Where(i => columns[i] is CategoricalColumn).ToArray();
        if (categorical.Length == 0) return;
        var numeric = Enumerable.Range(0, columns.Count).Where(i => columns[i] is NumericColumn).ToArray();
        var numericModels = numeric.Select(i => models[i]).ToArray();
        var numericDimensions = numericModels.Sum(m => m.Dimensions);
        var encoders = BuildEncoders(numeric.Select(i => columns[i]).ToArray(), numericModels, boundedScores);
        var slots = categorical.Select(i => ((CategoricalColumn)columns[i]).Categories.Length + 1).ToArray();
        var sums = SumBlocks(columns[0].Length, options, () => new CategoryMeans(slots, numericDimensions), encoders, fitKey, (means, z, row) =>
        {
            for (var k = 0; k < categorical.Length; k++)
            {
                var column = (CategoricalColumn)columns[categorical[k]];
                var code = column.Codes[row];
                means.Add(k, code == CategoricalColumn.Null ? slots[k] - 1 : code, z, row);
            }
        }, numericDimensions);
        for (var k = 0; k < categorical.Length; k++)
        {
            var column = (CategoricalColumn)columns[categorical[k]];
            var order = sums.Order(k);
            var values = order.Select(s => s == slots[k] - 1 ? null : column.Categories[s]).ToArray();
            models[categorical[k]] = new DiscreteColumn(column.Name, values, null, null, column.IsBoolean, Intervals.FromCounts(order.Select(s => sums.Count(k, s)).ToArray()));
        }
    }

    /// <summary>Per categorical column and value: row count, first row, and the sums of the numeric scores.</summary>
    private sealed class CategoryMeans(int[] slots, int dimensions) : IMergeable<CategoryMeans>
    {
        private readonly long[][] _counts = slots.Select(n => new long[n]).ToArray();
        private readonly long[][] _first = slots.Select(n => Enumerable.Repeat(long.MaxValue, n).ToArray()).ToArray();
        private readonly double[][] _sums = slots.Select(n => new double[n * dimensions]).ToArray();
        private readonly double[][] _present = slots.Select(n => new double[n * dimensions]).ToArray();
        public void Add(int column, int slot, double[] z, long row)
        {
            _counts[column][slot]++;
            _first[column][slot] = Math.Min(_first[column][slot], row);
            for (var d = 0; d < dimensions; d++)
            {
                if (double.IsNaN(z[d])) continue;
                _sums[column][slot * dimensions + d] += z[d];
                _present[column][slot * dimensions + d]++;
            }
        }

        public void Merge(CategoryMeans other)
        {
            for (var c = 0; c < _counts.Length; c++)
            {
                for (var s = 0; s < _counts[c].Length; s++)
                {
                    _counts[c][s] += other._counts[c][s];
                    _first[c][s] = Math.Min(_first[c][s], other._first[c][s]);
                }
                for (var k = 0; k < _sums[c].Length; k++)
                {
                    _sums[c][k] += other._sums[c][k];
                    _present[c][k] += other._present[c][k];
                }
            }
        }

        public long Count(int column, int slot) => _counts[column][slot];

        /// <summary>The slots that occur, in copula order.</summary>
        public int[] Order(int column)
        {
            var counts = _counts[column];
            var used = Enumerable.Range(0, counts.Length).Where(s => counts[s] > 0).ToArray();
            var byFrequency = used.OrderByDescending(s => counts[s]).ThenBy(s => _first[column][s]).ToArray();
            if (dimensions == 0 || used.Length < 3) return byFrequency;
            // Weighted means per value, centred; then the top eigenvector of their weighted covariance by power iteration.
            var means = new double[used.Length][];
            var centre = new double[dimensions];
            double total = 0;
            for (var u = 0; u < used.Length; u++)
            {
                means[u] = new double[dimensions];
                for (var d = 0; d < dimensions; d++)
                {
                    var present = _present[column][used[u] * dimensions + d];
                    means[u][d] = present > 0 ? _sums[column][used[u] * dimensions + d] / present : 0;
                    centre[d] += counts[used[u]] * means[u][d];
                }
                total += counts[used[u]];
            }
            for (var d = 0; d < dimensions; d++) centre[d] /= total;
            var axis = Enumerable.Repeat(1 / Math.Sqrt(dimensions), dimensions).ToArray();
            for (var iteration = 0; iteration < 100; iteration++)
            {
                var next = new double[dimensions];
                for (var u = 0; u < used.Length; u++)
                {
                    double projection = 0;
                    for (var d = 0; d < dimensions; d++) projection += (means[u][d] - centre[d]) * axis[d];
                    for (var d = 0; d < dimensions; d++) next[d] += counts[used[u]] * projection * (means[u][d] - centre[d]);
                }
                var norm = Math.Sqrt(next.Sum(x => x * x));
                if (norm < 1e-12) return byFrequency;
                for (var d = 0; d < dimensions; d++) axis[d] = next[d] / norm;
            }
            var position = new double[counts.Length];
            for (var u = 0; u < used.Length; u++)
                for (var d = 0; d < dimensions; d++) position[used[u]] += (means[u][d] - centre[d]) * axis[d];
            var rank = byFrequency.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
            return used.OrderBy(s => Math.Round(position[s], 9)).ThenBy(s => rank[s]).ToArray();
        }
    }

    private interface IMergeable<T>
    {
        void Merge(T other);
    }

    /// <summary>
    /// Runs <paramref name="add"/> over every <paramref name="stride"/>-th row's scores, per block of rows in parallel, and merges
    /// the blocks in order.
    /// </summary>
    private static T SumBlocks<T>(int rows, ParallelOptions options, Func<T> create, Encoder[] encoders, ulong fitKey, Action<T, double[], int> add, int dimensions,
        int stride = 1)
        where T : IMergeable<T>
    {
        var positions = (rows + stride - 1) / stride;
        var blocks = (positions + Block - 1) / Block;
        var partials = new T[blocks];
        Parallel.For(0, blocks, options, b =>
        {
            var sums = create();
            var z = new double[dimensions];
            var end = Math.Min(positions, (b + 1) * Block);
            for (var position = b * Block; position < end; position++)
            {
                var row = position * stride;
                var d = 0;
                foreach (var encode in encoders) d = encode(row, fitKey, z, d);
                add(sums, z, row);
            }
            partials[b] = sums;
        });
        var total = create();
        foreach (var partial in partials) total.Merge(partial);
        return total;
    }

    private static T SumBlocks<T>(int rows, ParallelOptions options, Func<T> create, Encoder[] encoders, ulong fitKey, Action<T, double[]> add, int dimensions,
        int stride = 1)
        where T : IMergeable<T> =>
        SumBlocks(rows, options, create, encoders, fitKey, (sums, z, _) => add(sums, z), dimensions, stride);

    private delegate int Encoder(int row, ulong fitKey, double[] z, int dimension);

    /// <summary>Per column: writes the row's normal scores (NaN where there is none) from dimension d on; returns the next dimension.</summary>
    /// <summary>
    /// Each column's normal scores for a training row. With <paramref name="boundedScores"/>, a continuous value's probability p
    /// becomes (p(n − 1) + ½) / n for the column's n present values (plotting positions): the smallest and largest values sit
    /// half a row inside the ends, not at p = 0 and 1, whose scores (±5.2, p clamped to 1.2e-7) let two rows outweigh a small table's correlations.
    /// </summary>
    private static Encoder[] BuildEncoders(IReadOnlyList<TableColumn> columns, IReadOnlyList<CopulaColumn> models, bool boundedScores)
    {
        var encoders = new Encoder[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            switch (models[c], columns[c])
            {
                case (ContinuousColumn continuous, NumericColumn numeric):
                {
                    var present = boundedScores ? numeric.Values.Count(v => !double.IsNaN(v)) : 0;
                    encoders[c] = (row, key, z, d) =>
                    {
                        var x = numeric.Values[row];
                        if (double.IsNaN(x)) z[d] = double.NaN;
                        else
                        {
                            var (low, high) = continuous.Marginal.CdfRange(x);
                            var u = low == high ? low : low + (high - low) * Draw(key, row, d);
                            if (present > 0) u = (u * (present - 1) + 0.5) / present;
                            z[d] = StandardNormal.InverseCdf(u);
                        }
                        if (!continuous.Nullable) return d + 1;
                        z[d + 1] = StandardNormal.InverseCdf(continuous.NullIntervals.Point(double.IsNaN(x) ? 1 : 0, Draw(key, row, d + 1)));
                        return d + 2;
                    };
                    break;
                }
                case (DiscreteColumn discrete, NumericColumn numeric):
                {
                    var index = new Dictionary<double, int>();
                    for (var i = 0; i < discrete.Numbers!.Length; i++) index[discrete.Numbers[i]] = i;
                    encoders[c] = (row, key, z, d) =>
                    {
                        var x = numeric.Values[row];
                        z[d] = double.IsNaN(x) ? double.NaN : StandardNormal.InverseCdf(discrete.Intervals.Point(index[x], Draw(key, row, d)));
                        if (!discrete.Nullable) return d + 1;
                        z[d + 1] = StandardNormal.InverseCdf(discrete.NullIntervals.Point(double.IsNaN(x) ? 1 : 0, Draw(key, row, d + 1)));
                        return d + 2;
                    };
                    break;
                }
                case (DiscreteColumn discrete, CategoricalColumn categorical):
                {
                    // Interval of each category code; the null slot is last.
                    var slot = new int[categorical.Categories.Length + 1];
                    for (var i = 0; i < discrete.Categories!.Length; i++)
                    {
                        var value = discrete.Categories[i];
                        slot[value is null ? categorical.Categories.Length : Array.IndexOf(categorical.Categories, value)] = i;
                    }
                    encoders[c] = (row, key, z, d) =>
                    {
                        var code = categorical.Codes[row];
                        var interval = slot[code == CategoricalColumn.Null ? categorical.Categories.Length : code];
                        z[d] = StandardNormal.InverseCdf(discrete.Intervals.Point(interval, Draw(key, row, d)));
                        return d + 1;
                    };
                    break;
                }
                default:
                    throw new ArgumentException($"column '{columns[c].Name}' does not match its model.");
            }
        }
        return encoders;
    }

    private static double Draw(ulong key, long row, int dimension) => SplitMix64.ForCell(key, row, dimension).NextDouble();

    /// <summary>Pairwise-complete sums for Pearson correlations.</summary>
    private sealed class PairSums(int n) : IMergeable<PairSums>
    {
        private readonly double[] _count = new double[n * n], _x = new double[n * n], _xx = new double[n * n], _xy = new double[n * n];

        public void Add(double[] z)
        {
            for (var i = 0; i < n; i++)
            {
                var zi = z[i];
                if (double.IsNaN(zi)) continue;
                var rowOffset = i * n;
                for (var j = 0; j < n; j++)
                {
                    var zj = z[j];
                    if (double.IsNaN(zj)) continue;
                    var k = rowOffset + j;
                    _count[k]++;
                    _x[k] += zi;
                    _xx[k] += zi * zi;
                    _xy[k] += zi * zj;
                }
            }
        }

        public void Merge(PairSums other)
        {
            for (var k = 0; k < _count.Length; k++)
            {
                _count[k] += other._count[k];
                _x[k] += other._x[k];
                _xx[k] += other._xx[k];
                _xy[k] += other._xy[k];
            }
        }

        /// <summary>ρ_ij from the sums over rows where both i and j have a score (0 when undefined).</summary>
        public double[,] Correlation()
        {
            var c = new double[n, n];
            for (var i = 0; i < n; i++)
            {
                c[i, i] = 1;
                for (var j = i + 1; j < n; j++)
                {
                    int ij = i * n + j, ji = j * n + i;
                    var count = _count[ij];
                    if (count < 2) continue;
                    double meanI = _x[ij] / count, meanJ = _x[ji] / count;
                    var cov = _xy[ij] / count - meanI * meanJ;
                    var varI = _xx[ij] / count - meanI * meanI;
                    var varJ = _xx[ji] / count - meanJ * meanJ;
                    var r = varI > 1e-12 && varJ > 1e-12 ? cov / Math.Sqrt(varI * varJ) : 0;
                    c[i, j] = c[j, i] = Math.Clamp(r, -1, 1);
                }
            }
            return c;
        }
    }

    /// <summary>
    /// The nearest correlation matrix that is positive definite: eigenvalues raised to at least
    /// 1e-6, then rescaled to a unit diagonal, repeated until the Cholesky factorization succeeds.
    /// </summary>
    public static double[,] NearestCorrelation(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var current = (double[,])matrix.Clone();
        for (var iteration = 0; iteration < 20; iteration++)
        {
            if (TryCholesky(current, out _)) return current;
            var m = Matrix<double>.Build.DenseOfArray(current);
            var evd = m.Evd(Symmetricity.Symmetric);
            var values = evd.EigenValues.Select(v => Math.Max(v.Real, 1e-6)).ToArray();
            var rebuilt = evd.EigenVectors * Matrix<double>.Build.DenseOfDiagonalArray(values) * evd.EigenVectors.Transpose();
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                    current[i, j] = i == j ? 1 : rebuilt[i, j] / Math.Sqrt(rebuilt[i, i] * rebuilt[j, j]);
            // Symmetric to the last bit.
            for (var i = 0; i < n; i++)
                for (var j = i + 1; j < n; j++)
                    current[j, i] = current[i, j];
        }
        // Shrink towards the identity as a last resort: always positive definite.
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (i != j) current[i, j] *= 0.9;
        return current;
    }

    private static double[,] Cholesky(double[,] matrix) =>
        TryCholesky(matrix, out var lower) ? lower : throw new ArgumentException("the correlation matrix is not positive definite.");

    internal static bool TryCholesky(double[,] a, out double[,] lower)
    {
        var n = a.GetLength(0);
        lower = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++) sum -= lower[i, k] * lower[j, k];
                if (i == j)
                {
                    if (!(sum > 1e-10)) return false;
                    lower[i, i] = Math.Sqrt(sum);
                }
                else lower[i, j] = sum / lower[j, j];
            }
        }
        return true;
    }

    /// <summary>
    /// Samples rows [<paramref name="firstRow"/>, firstRow + count) as one block into one column per model column:
    /// numbers (NaN for null) or category codes into <see cref="DiscreteColumn.Categories"/> (−1 for null).
    /// Stratified (<see cref="CopulaSampling"/>): the block depends on the seed, its first row and its count.
    /// Independent: a row depends only on the seed and its index.
    /// </summary>
    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey)
    {
        var outputs = Allocate(count);
        var scratch = new double[2 * Dimensions];
        if (Sampling == CopulaSampling.Independent)
        {
            for (var r = 0; r < count; r++) SampleRow(firstRow + r, seedKey, outputs, r, scratch);
            return outputs;
        }
        for (var start = 0; start < count; start += StratifiedBlock.MaxRows)
            SampleStratified(firstRow + start, Math.Min(StratifiedBlock.MaxRows, count - start), seedKey, outputs, start, scratch, Whitens(count));
        return outputs;
    }

    public IReadOnlyList<TableColumn>? SampleAgain(long firstRow, int count, ulong seedKey, IReadOnlySet<int> fresh, int attempt, BlockMemo memo)
    {
        if (Sampling == CopulaSampling.Independent) return null;
        var outputs = Allocate(count);
        var scratch = new double[2 * Dimensions];
        for (var start = 0; start < count; start += StratifiedBlock.MaxRows)
        {
            var length = Math.Min(StratifiedBlock.MaxRows, count - start);
            var inBlock = fresh.Where(r => r >= start && r < start + length).Select(r => r - start).ToHashSet();
            // Only the fresh rows are read: a block without one is not drawn.
            if (inBlock.Count > 0) SampleAgainStratified(firstRow + start, length, seedKey, outputs, start, scratch, inBlock, attempt, memo, Whitens(count));
        }
        return outputs;
    }

    public IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey)
    {
        var outputs = Allocate(rows.Count);
        var scratch = new double[2 * Dimensions];
        for (var r = 0; r < rows.Count; r++) SampleRow(rows[r], seedKey, outputs, r, scratch);
        return outputs;
    }

    private TableColumn[] Allocate(int count)
    {
        var outputs = new TableColumn[Columns.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            outputs[c] = Columns[c] switch
            {
                ContinuousColumn continuous => new NumericColumn(continuous.Name, new double[count], continuous.Role, continuous.Decimals),
                DiscreteColumn { Numbers: not null } discrete => new NumericColumn(discrete.Name, new double[count], discrete.Role!.Value),
                DiscreteColumn discrete => new CategoricalColumn(discrete.Name, new int[count], _categoryTexts[c]!, discrete.IsBoolean),
                _ => throw new InvalidOperationException(),
            };
        }
        return outputs;
    }

    /// <summary>
    /// Draws row <paramref name="row"/> of the stream <paramref name="seedKey"/> into position
    /// <paramref name="at"/> of <paramref name="outputs"/> (columns as <see cref="Sample"/> makes them).
    /// <paramref name="scratch"/> holds 2 × <see cref="Dimensions"/> doubles; nothing is allocated.
    /// </summary>
    public void SampleRow(long row, ulong seedKey, IReadOnlyList<TableColumn> outputs, int at, double[] scratch)
    {
        DrawScores(row, seedKey, scratch);
        var z = scratch.AsSpan(Dimensions, Dimensions);
        Span<double> posterior = stackalloc double[CategoryDiscriminant.MaxValuesWide];
        var dim = 0;
        for (var c = 0; c < Columns.Count; c++)
        {
            switch (Columns[c])
            {
                case ContinuousColumn continuous:
                {
                    var value = continuous.Nullable && continuous.NullIntervals.ValueAtScore(z[dim + 1]) == 1
                        ? double.NaN
                        : continuous.Value(StandardNormal.Cdf(z[dim]));
                    ((NumericColumn)outputs[c]).Values[at] = value;
                    dim += continuous.Dimensions;
                    break;
                }
                case DiscreteColumn { Numbers: not null } discrete:
                {
                    var value = discrete.Nullable && discrete.NullIntervals.ValueAtScore(z[dim + 1]) == 1
                        ? double.NaN
                        : discrete.Numbers[discrete.Intervals.ValueAtScore(z[dim])];
                    ((NumericColumn)outputs[c]).Values[at] = value;
                    dim += discrete.Dimensions;
                    break;
                }
                case DiscreteColumn discrete:
                {
                    var index = discrete.Discriminant is { } discriminant
                        ? discriminant.Pick(z, StandardNormal.Cdf(z[dim]), posterior)
                        : discrete.Intervals.ValueAtScore(z[dim]);
                    dim += discrete.Dimensions;
                    ((CategoricalColumn)outputs[c]).Codes[at] = discrete.Categories![index] is null ? CategoricalColumn.Null : index;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Row <paramref name="row"/>'s correlated normal scores into the second half of <paramref name="scratch"/>
    /// (2 × <see cref="Dimensions"/> doubles).
    /// </summary>
    private void DrawScores(long row, ulong seedKey, double[] scratch)
    {
        DrawIndependent(row, seedKey, scratch.AsSpan(0, Dimensions));
        MultiplyLower(_lower, scratch.AsSpan(0, Dimensions), scratch.AsSpan(Dimensions, Dimensions));
    }

    /// <summary>Row <paramref name="row"/>'s independent standard normal draws, one per dimension, from the row's own stream.</summary>
    private void DrawIndependent(long row, ulong seedKey, Span<double> g)
    {
        var random = SplitMix64.ForCell(seedKey, row, 0);
        if (Sampling is CopulaSampling.StratifiedZiggurat or CopulaSampling.StratifiedWhitened)
        {
            for (var d = 0; d < Dimensions; d++) g[d] = Ziggurat.Next(ref random);
        }
        else
        {
            // One stream per row, both draws of each Box–Muller pair used.
            for (var d = 0; d < Dimensions; d += 2)
            {
                random.NextGaussianPair(out var first, out var second);
                g[d] = first;
                if (d + 1 < Dimensions) g[d + 1] = second;
            }
        }
    }

    /// <summary>
    /// z = L g for the lower triangle <paramref name="lower"/> (row i from i(i+1)/2), each z[i] summed in index order from 0, so
    /// every machine adds in the same order (no vector lanes, no fused multiply-add). Four rows are summed side by side: four
    /// independent chains of additions, not one chain waiting on the last addition.
    /// </summary>
    internal static void MultiplyLower(ReadOnlySpan<double> lower, ReadOnlySpan<double> g, Span<double> z)
    {
        var n = z.Length;
        var i = 0;
        for (var start = 0; i + 3 < n; i += 4)
        {
            var row0 = lower.Slice(start, i + 1);
            var row1 = lower.Slice(start + i + 1, i + 2);
            var row2 = lower.Slice(start + 2 * i + 3, i + 3);
            var row3 = lower.Slice(start + 3 * i + 6, i + 4);
            double a = 0, b = 0, c = 0, d = 0;
            for (var k = 0; k <= i; k++)
            {
                var x = g[k];
                a += row0[k] * x;
                b += row1[k] * x;
                c += row2[k] * x;
                d += row3[k] * x;
            }
            b += row1[i + 1] * g[i + 1];
            c += row2[i + 1] * g[i + 1];
            c += row2[i + 2] * g[i + 2];
            d += row3[i + 1] * g[i + 1];
            d += row3[i + 2] * g[i + 2];
            d += row3[i + 3] * g[i + 3];
            z[i] = a;
            z[i + 1] = b;
            z[i + 2] = c;
            z[i + 3] = d;
            start += 4 * i + 10;
        }
        for (var start = i * (i + 1) / 2; i < n; start += ++i)
        {
            var factors = lower.Slice(start, i + 1);
            double sum = 0;
            for (var k = 0; k < factors.Length; k++) sum += factors[k] * g[k];
            z[i] = sum;
        }
    }

    public JsonObject ToJson()
    {
        var rows = new JsonArray();
        for (var i = 0; i < Dimensions; i++)
        {
            var row = new JsonArray();
            for (var j = 0; j < Dimensions; j++) row.Add(Correlation[i, j]);
            rows.Add(row);
        }
        var json = new JsonObject
        {
            ["columns"] = new JsonArray(Columns.Select(c => (JsonNode?)c.ToJson()).ToArray()),
            ["correlation"] = rows,
        };
        if (Sampling != CopulaSampling.Independent)
            json["sampling"] = Sampling switch
            {
                CopulaSampling.StratifiedWhitened => "stratified-ziggurat-whitened",
                CopulaSampling.StratifiedZiggurat => "stratified-ziggurat",
                _ => "stratified",
            };
        // Only where set, so that models of earlier revisions keep their bytes.
        if (PresentOntoMarginals) json["present_onto_marginals"] = true;
        return json;
    }

    public static GaussianCopula FromJson(JsonObject json)
    {
        var columns = json["columns"]!.AsArray().Select(c => CopulaColumn.FromJson(c!.AsObject())).ToArray();
        var rows = json["correlation"]!.AsArray();
        var n = rows.Count;
        var correlation = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            var row = rows[i]!.AsArray();
            if (row.Count != n) throw new FormatException("the correlation matrix must be square.");
            for (var j = 0; j < n; j++) correlation[i, j] = row[j]!.GetValue<double>();
        }
        for (var i = 0; i < n; i++)
        {
            if (correlation[i, i] != 1) throw new FormatException("the correlation matrix must have a unit diagonal.");
            for (var j = 0; j < n; j++)
                if (correlation[i, j] != correlation[j, i] || Math.Abs(correlation[i, j]) > 1) throw new FormatException("the correlation matrix must be symmetric, within [−1, 1].");
        }
        var sampling = json["sampling"]?.GetValue<string>() switch
        {
            null => CopulaSampling.Independent,
            "stratified" => CopulaSampling.Stratified,
            "stratified-ziggurat" => CopulaSampling.StratifiedZiggurat,
            "stratified-ziggurat-whitened" => CopulaSampling.StratifiedWhitened,
            var other => throw new FormatException($"unknown copula sampling '{other}'."),
        };
        return new GaussianCopula(columns, correlation, sampling, json["present_onto_marginals"]?.GetValue<bool>() ?? false);
    }
}
