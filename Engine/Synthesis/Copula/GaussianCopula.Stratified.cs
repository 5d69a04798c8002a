using System.Buffers;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>Stratified sampling of a block (<see cref="StratifiedBlock"/>), with the categories drawn by their discriminants.</summary>
public sealed partial class GaussianCopula
{
    /// <summary>Rows [<paramref name="firstRow"/>, firstRow + count) stratified together (<see cref="StratifiedBlock"/>), into <paramref name="outputs"/> from position <paramref name="at"/>.</summary>
    private void SampleStratified(long firstRow, int count, ulong seedKey, TableColumn[] outputs, int at, double[] scratch, bool whiten)
    {
        using var block = new StratifiedBlock(count, Dimensions);
        // The correlated scores as drawn, row by row, for the discriminants (stratifying replaces them by probabilities).
        var scores = _hasDiscriminants ? ArrayPool<double>.Shared.Rent(count * Dimensions) : [];
        try
        {
            DrawBlock(firstRow, count, seedKey, block, scores, scratch, whiten);
            WriteBlock(block, scores, count, outputs, at);
        }
        finally
        {
            if (_hasDiscriminants) ArrayPool<double>.Shared.Return(scores);
        }
    }

    /// <summary>
    /// Whether a sample of <paramref name="count"/> rows is drawn with whitened blocks (<see cref="CopulaSampling.StratifiedWhitened"/>):
    /// one block of fewer than <see cref="StratifiedBlock.MaxRows"/> rows. Decided by the whole sample's count, so that a large
    /// sample's blocks, and the groups' shares of them, are drawn as before and cost nothing more.
    /// </summary>
    private bool Whitens(int count) => Sampling == CopulaSampling.StratifiedWhitened && count < StratifiedBlock.MaxRows;

    /// <summary>
    /// Each row's correlated scores into <paramref name="block"/> (and <paramref name="scores"/>, where discriminants read them), then
    /// stratified; with <paramref name="whiten"/>, the block's independent draws are whitened first (<see cref="BlockWhitening"/>).
    /// </summary>
    private void DrawBlock(long firstRow, int count, ulong seedKey, StratifiedBlock block, double[] scores, double[] scratch, bool whiten)
    {
        var draws = whiten ? BlockWhitening.Whitened(count, Dimensions, (r, g) => DrawIndependent(firstRow + r, seedKey, g)) : null;
        for (var r = 0; r < count; r++)
        {
            if (draws is null) DrawScores(firstRow + r, seedKey, scratch);
            else MultiplyLower(_lower, draws.AsSpan(r * Dimensions, Dimensions), scratch.AsSpan(Dimensions, Dimensions));
            block.SetRow(r, scratch.AsSpan(Dimensions, Dimensions));
            if (_hasDiscriminants) scratch.AsSpan(Dimensions, Dimensions).CopyTo(scores.AsSpan(r * Dimensions));
        }
        block.Stratify(seedKey, firstRow);
    }

    /// <summary>What a block's tries share: its stratified probabilities, and its correlated scores where discriminants read them.</summary>
    private sealed record StratifiedDraw(double[] Probabilities, double[] Scores);

    /// <summary>
    /// The block as <see cref="SampleStratified"/> draws it, the rows of <paramref name="fresh"/> with new points inside their strata
    /// (<see cref="StratifiedBlock.Refresh"/>); the block's scores and strata are drawn once per <paramref name="memo"/>, its values
    /// written whole (a category drawn by its discriminant is picked block-wide).
    /// </summary>
    private void SampleAgainStratified(long firstRow, int count, ulong seedKey, TableColumn[] outputs, int at, double[] scratch, IReadOnlySet<int> fresh,
        int attempt, BlockMemo memo, bool whiten)
    {
        var drawn = memo.GetOrAdd(this, seedKey, firstRow, count, () =>
        {
            using var first = new StratifiedBlock(count, Dimensions);
            var scores = _hasDiscriminants ? new double[count * Dimensions] : [];
            DrawBlock(firstRow, count, seedKey, first, scores, scratch, whiten);
            return new StratifiedDraw(first.Probabilities(), scores);
        });
        using var block = new StratifiedBlock(count, Dimensions);
        block.Load(drawn.Probabilities);
        block.Refresh(seedKey, firstRow, fresh, attempt);
        WriteBlock(block, drawn.Scores, count, outputs, at);
    }

    /// <summary>
    /// A block's values of a category drawn by its discriminant: posteriors given each row's scores, calibrated to the values' shares,
    /// then picked with each row's stratified uniform so that every value comes out at its share, as the other columns' do.
    /// </summary>
    private void PickByDiscriminant(DiscreteColumn column, CategoryDiscriminant discriminant, StratifiedBlock block, int dimension, double[] scores, int count, int[] codes, int at)
    {
        var values = discriminant.Values;
        var posteriors = ArrayPool<double>.Shared.Rent(count * values);
        try
        {
            for (var r = 0; r < count; r++) discriminant.Posterior(scores.AsSpan(r * Dimensions, Dimensions), posteriors.AsSpan(r * values, values));
            Span<double> shares = stackalloc double[CategoryDiscriminant.MaxValuesWide];
            for (var v = 0; v < values; v++) shares[v] = column.Intervals.Upper[v] - column.Intervals.Lower(v);
            discriminant.Calibrate(posteriors.AsSpan(0, count * values), count, shares[..values]);
            var picked = codes.AsSpan(at, count);
            discriminant.PickWithShares(posteriors.AsSpan(0, count * values), count, shares[..values], r => block.Probability(r, dimension), picked);
            for (var r = 0; r < count; r++)
                if (column.Categories![picked[r]] is null) picked[r] = CategoricalColumn.Null;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(posteriors);
        }
    }

    /// <summary>
    /// A nullable number's block (<see cref="PresentOntoMarginals"/>): the rows its null indicator keeps, ordered by their
    /// probabilities, take the column's marginal (<paramref name="value"/> at a probability) stratified over them (the k-th of m in
    /// the k-th m-th, at the point its own stratum's offset puts it), so the present values follow the marginal whatever the kept
    /// scores lean to, and keep their order.
    /// </summary>
    private static void WritePresentOntoMarginal(Intervals nulls, Func<double, double> value, StratifiedBlock block, int dimension, int count, double[] values, int at)
    {
        var present = ArrayPool<(double Probability, int Row)>.Shared.Rent(count);
        try
        {
            var m = 0;
            for (var r = 0; r < count; r++)
            {
                if (nulls.ValueAtProbability(block.Probability(r, dimension + 1)) == 1) values[at + r] = double.NaN;
                else present[m++] = (block.Probability(r, dimension), r);
            }
            // By probability, then row: the same order on every machine.
            Array.Sort(present, 0, m);
            for (var k = 0; k < m; k++)
            {
                var (probability, row) = present[k];
                var offset = probability * count - Math.Floor(probability * count);
                values[at + row] = value((k + offset) / m);
            }
        }
        finally
        {
            ArrayPool<(double, int)>.Shared.Return(present);
        }
    }

    private void WriteBlock(StratifiedBlock block, double[] scores, int count, TableColumn[] outputs, int at)
    {
        var dim = 0;
        for (var c = 0; c < Columns.Count; c++)
        {
            switch (Columns[c])
            {
                case ContinuousColumn { Nullable: true } continuous when PresentOntoMarginals:
                    WritePresentOntoMarginal(continuous.NullIntervals, continuous.Value, block, dim, count, ((NumericColumn)outputs[c]).Values, at);
                    break;
                case DiscreteColumn { Numbers: { } numbers, Nullable: true } discrete when PresentOntoMarginals:
                    WritePresentOntoMarginal(discrete.NullIntervals, u => numbers[discrete.Intervals.ValueAtProbability(u)], block, dim, count,
                        ((NumericColumn)outputs[c]).Values, at);
                    break;
                case ContinuousColumn continuous:
                {
                    var values = ((NumericColumn)outputs[c]).Values;
                    for (var r = 0; r < count; r++)
                        values[at + r] = continuous.Nullable && continuous.NullIntervals.ValueAtProbability(block.Probability(r, dim + 1)) == 1
                            ? double.NaN
                            : continuous.Value(block.Probability(r, dim));
                    break;
                }
                case DiscreteColumn { Numbers: not null } discrete:
                {
                    var values = ((NumericColumn)outputs[c]).Values;
                    for (var r = 0; r < count; r++)
                        values[at + r] = discrete.Nullable && discrete.NullIntervals.ValueAtProbability(block.Probability(r, dim + 1)) == 1
                            ? double.NaN
                            : discrete.Numbers[discrete.Intervals.ValueAtProbability(block.Probability(r, dim))];
                    break;
                }
                case DiscreteColumn discrete:
                {
                    var codes = ((CategoricalColumn)outputs[c]).Codes;
                    if (discrete.Discriminant is { } discriminant)
                    {
                        PickByDiscriminant(discrete, discriminant, block, dim, scores, count, codes, at);
                        break;
                    }
                    for (var r = 0; r < count; r++)
                    {
                        var index = discrete.Intervals.ValueAtProbability(block.Probability(r, dim));
                        codes[at + r] = discrete.Categories![index] is null ? CategoricalColumn.Null : index;
                    }
                    break;
                }
            }
            dim += Columns[c].Dimensions;
        }
    }
}
