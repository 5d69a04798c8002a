using System.Buffers;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// Latin hypercube sampling of one block of correlated normal scores, with the rows paired by rank
/// (Iman and Conover, 1982): in each dimension the block's n rows take one probability from each of
/// the n strata [k/n, (k+1)/n), a uniform point inside it, handed out in the order of the rows'
/// correlated scores. The rows keep the copula's rank dependence, and each column's values in the
/// block follow its marginal to within one stratum (KS ≤ 1/n) rather than to within sampling noise
/// (about 1/√n): on a table of a few hundred rows, that noise alone costs shape and pair scores
/// several points, and a category of 39% can come out at 50%.
/// </summary>
/// <remarks>
/// Ranking is a bucket sort on the normal CDF interpolated in a table (buckets of about one row each, sorted
/// exactly inside), so a block costs O(n) per dimension. Ties keep row order. The points inside the
/// strata are drawn in rank order from the block's own stream for that dimension.
/// </remarks>
public sealed class StratifiedBlock : IDisposable
{
    /// <summary>
    /// The most rows stratified together. Larger samples are stratified in consecutive blocks of this many rows: each keeps
    /// its own sampling error under 1/4,096, far below what sampling noise would be for the whole sample, and a block's
    /// arrays stay in cache.
    /// </summary>
    public const int MaxRows = 4_096;

    private readonly int _rows;
    private readonly int _dimensions;
    private readonly double[] _values;
    private readonly Ranked[] _ranked;
    private readonly int[] _bucketOf;
    private readonly int[] _bucketStart;

    private record struct Ranked(double Score, int Row);

    /// <summary>A block of <paramref name="rows"/> rows (at most <see cref="MaxRows"/>) of <paramref name="dimensions"/> scores; its arrays are rented from the shared pools and go back on <see cref="Dispose"/>.</summary>
    public StratifiedBlock(int rows, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxRows);
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        _rows = rows;
        _dimensions = dimensions;
        _values = ArrayPool<double>.Shared.Rent(rows * dimensions);
        _ranked = ArrayPool<Ranked>.Shared.Rent(rows);
        _bucketOf = ArrayPool<int>.Shared.Rent(rows);
        _bucketStart = ArrayPool<int>.Shared.Rent(rows + 1);
    }

    public void Dispose()
    {
        ArrayPool<double>.Shared.Return(_values);
        ArrayPool<Ranked>.Shared.Return(_ranked);
        ArrayPool<int>.Shared.Return(_bucketOf);
        ArrayPool<int>.Shared.Return(_bucketStart);
    }

    /// <summary>Row <paramref name="row"/>'s correlated scores.</summary>
    public void SetRow(int row, ReadOnlySpan<double> scores)
    {
        for (var d = 0; d < _dimensions; d++) _values[d * _rows + row] = scores[d];
    }

    /// <summary>
    /// Replaces every score by its row's stratified probability, dimension by dimension; the points inside the strata of
    /// dimension d come from <c>SplitMix64.ForCell(<paramref name="seedKey"/>, <paramref name="firstRow"/>, 1 + d)</c>.
    /// </summary>
    public void Stratify(ulong seedKey, long firstRow)
    {
        for (var d = 0; d < _dimensions; d++)
        {
            var points = SplitMix64.ForCell(seedKey, firstRow, 1 + d);
            StratifyDimension(_values.AsSpan(d * _rows, _rows), ref points);
        }
    }

    /// <summary>
    /// After <see cref="Stratify"/>: the rows in <paramref name="fresh"/> take new points inside their strata from streams of their own,
    /// one per row, dimension and <paramref name="attempt"/>: the same strata, other values. From the third attempt on, the strata of one
    /// dimension in turn (the first at attempt 3) also rotate among the fresh rows, each taking the next one's in row order: a copy whose
    /// strata all hold one value (a number of few values, a category) becomes another row, and the block still holds every stratum once.
    /// </summary>
    public void Refresh(ulong seedKey, long firstRow, IReadOnlySet<int> fresh, int attempt)
    {
        var freshKey = SplitMix64.Mix64(seedKey ^ (FreshSalt + (ulong)attempt));
        var ordered = fresh.Order().ToArray();
        var ranks = new int[ordered.Length];
        var stratum = 1.0 / _rows;
        for (var d = 0; d < _dimensions; d++)
        {
            var scores = _values.AsSpan(d * _rows, _rows);
            for (var i = 0; i < ordered.Length; i++) ranks[i] = Math.Min(_rows - 1, (int)(scores[ordered[i]] * _rows));
            var rotate = attempt >= 3 && d == (attempt - 3) % _dimensions ? 1 : 0;
            for (var i = 0; i < ordered.Length; i++)
            {
                var r = ordered[i];
                scores[r] = (ranks[(i + rotate) % ordered.Length] + SplitMix64.ForCell(freshKey, firstRow + r, 1 + d).NextDouble()) * stratum;
            }
        }
    }

    /// <summary>A copy of every row's probabilities, for <see cref="Load"/> into a block of the same shape.</summary>
    public double[] Probabilities() => _values.AsSpan(0, _rows * _dimensions).ToArray();

    /// <summary>Sets every row's probabilities from <see cref="Probabilities()"/> of a block of the same shape.</summary>
    public void Load(double[] probabilities) => probabilities.AsSpan(0, _rows * _dimensions).CopyTo(_values);

    private const ulong FreshSalt = 0x6672657368000000UL;

    /// <summary>Row <paramref name="row"/>'s probability in dimension <paramref name="dimension"/>, in [0, 1), after <see cref="Stratify"/>.</summary>
    public double Probability(int row, int dimension) => _values[dimension * _rows + row];

    private void StratifyDimension(Span<double> scores, ref SplitMix64 points)
    {
        var n = _rows;
        var starts = _bucketStart.AsSpan(0, n + 1);
        var buckets = _bucketOf.AsSpan(0, n);
        starts.Clear();
        for (var r = 0; r < n; r++)
        {
            var bucket = Math.Min(n - 1, (int)(ApproximateCdf(scores[r]) * n));
            buckets[r] = bucket;
            starts[bucket + 1]++;
        }
        for (var b = 0; b < n; b++) starts[b + 1] += starts[b];
        // Rows into their buckets in row order, then each bucket (about one row) sorted exactly; ties keep row order.
        var ranked = _ranked.AsSpan(0, n);
        for (var r = 0; r < n; r++) ranked[starts[buckets[r]]++] = new Ranked(scores[r], r);
        var start = 0;
        for (var b = 0; b < n; b++)
        {
            var end = starts[b];
            for (var i = start + 1; i < end; i++)
            {
                var item = ranked[i];
                var j = i - 1;
                while (j >= start && ranked[j].Score > item.Score)
                {
                    ranked[j + 1] = ranked[j];
                    j--;
                }
                ranked[j + 1] = item;
            }
            start = end;
        }
        var stratum = 1.0 / n;
        for (var rank = 0; rank < n; rank++) scores[ranked[rank].Row] = (rank + points.NextDouble()) * stratum;
    }

    private const double TableReach = 6;
    private const int TableSteps = 4_096;
    private static readonly double[] CdfTable = BuildCdfTable();

    private static double[] BuildCdfTable()
    {
        var table = new double[TableSteps + 1];
        for (var i = 0; i <= TableSteps; i++) table[i] = StandardNormal.Cdf(-TableReach + 2 * TableReach * i / TableSteps);
        return table;
    }

    /// <summary>Φ(z), interpolated in a table: only to spread rows over buckets, where the exact CDF would cost more than the sort.</summary>
    private static double ApproximateCdf(double z)
    {
        var position = (z + TableReach) * (TableSteps / (2 * TableReach));
        if (!(position > 0)) return 0;
        if (position >= TableSteps) return 1;
        var i = (int)position;
        return CdfTable[i] + (CdfTable[i + 1] - CdfTable[i]) * (position - i);
    }
}
