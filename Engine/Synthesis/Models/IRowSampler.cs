using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>A column a fitted model draws: numbers, or codes into <see cref="Categories"/> (null when it draws numbers).</summary>
public sealed record SampledColumn(string Name, string[]? Categories)
{
    public bool IsCategorical => Categories is not null;
}

/// <summary>
/// A fitted model of a table's modelled columns, as sampling sees it (a Gaussian copula, a TVAE, a
/// CTGAN): rows drawn in blocks that depend only on the seed, the block's first row and its count
/// (the neural models: each row only on the seed and its index; the copula stratifies a block), so
/// blocks of a fixed grid (a contract's chunks) can be made in any order on any thread and a rerun
/// gives the same bytes.
/// </summary>
public interface IRowSampler
{
    /// <summary>The columns drawn, in order: what <see cref="Sample"/> returns.</summary>
    IReadOnlyList<SampledColumn> Columns { get; }

    /// <summary>Rows [<paramref name="firstRow"/>, firstRow + count): numbers (NaN for null) or category codes (−1 for null).</summary>
    IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey);

    /// <summary>
    /// Draws the rows numbered <paramref name="rows"/> again from the stream <paramref name="seedKey"/>
    /// (a redraw's own), into one column per model column, a row per entry of <paramref name="rows"/>.
    /// </summary>
    IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey);

    /// <summary>
    /// Draws again, from the stream <paramref name="redrawKey"/>, the rows at <paramref name="positions"/> of the block
    /// [<paramref name="firstRow"/>, firstRow + count) that <see cref="Sample"/> drew from <paramref name="seedKey"/>: as
    /// <see cref="Redraw"/> does, except that a sampler whose blocks hold parts at fixed shares (a copula per group) draws each row
    /// again from the part it was drawn from, so rows drawn again do not move the parts' shares.
    /// </summary>
    IReadOnlyList<TableColumn> RedrawInBlock(long firstRow, int count, ulong seedKey, IReadOnlyList<int> positions, ulong redrawKey) =>
        Redraw([.. positions.Select(p => firstRow + p)], redrawKey);

    /// <summary>
    /// Rows [<paramref name="firstRow"/>, firstRow + count) as <see cref="Sample"/> draws them, except that the rows at the block
    /// positions in <paramref name="fresh"/> take new points (stream <paramref name="attempt"/>) inside the strata they were given, and
    /// from attempt 3 on one column's strata rotate among them (<see cref="Copula.StratifiedBlock.Refresh"/>),
    /// so the block keeps its stratification; only those rows are meant to be read. Null for a sampler that does not stratify (each of its
    /// rows drawn on its own): <see cref="Redraw"/> is then the same thing. <paramref name="memo"/> keeps what the tries of one block share.
    /// </summary>
    IReadOnlyList<TableColumn>? SampleAgain(long firstRow, int count, ulong seedKey, IReadOnlySet<int> fresh, int attempt, BlockMemo memo) => null;

    /// <summary>The model's part of model.json.</summary>
    JsonObject ToJson();
}
