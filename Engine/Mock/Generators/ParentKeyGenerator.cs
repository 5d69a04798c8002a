using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>parent_key</c>: a child table's foreign key. Parent row p has c_p children, c_p uniform in
/// [min_per_parent, max_per_parent] from its own stream (seed, p, a column number no table uses);
/// the children of parent 0 come first, then those of parent 1, and so on. A child row's value is
/// its parent's <c>sequence</c> key (prefix + zero-padded p + 1), so every key resolves.
/// </summary>
public sealed class ParentKeyGenerator : IColumnGenerator
{
    private const int StreamBase = 1 << 28;
    private readonly byte[] _prefix;
    private readonly int _width;
    private readonly long _parentRows;
    private readonly int _min, _max, _table;
    private long[]? _starts;
    private bool _built;
    private object? _gate;

    public ParentKeyGenerator(ColumnSpec spec)
    {
        _prefix = Encoding.UTF8.GetBytes(spec.GetString("prefix"));
        _width = (int)spec.GetInteger("width");
        _parentRows = spec.GetInteger("parent_rows");
        _min = (int)spec.GetInteger("min_per_parent");
        _max = (int)spec.GetInteger("max_per_parent");
        _table = (int)spec.GetInteger("table");
        if (_min < 0 || _max < _min || _max > RelatedTable.MaxPerParentLimit)
            throw new ContractException($"Column '{spec.Name}': children per parent must be from 0 to {RelatedTable.MaxPerParentLimit}, min ≤ max.");
    }

    /// <summary>Where each parent's children start: starts[p]; starts[parentRows] is the child table's row count.</summary>
    public static long[] Starts(ulong seedKey, long parentRows, int min, int max, int table)
    {
        CheckParents(parentRows);
        var starts = new long[parentRows + 1];
        for (long p = 0; p < parentRows; p++) starts[p + 1] = starts[p] + Children(seedKey, p, min, max, table);
        return starts;
    }

    /// <summary>The child table's row count, without building its index (what pricing and validation need).</summary>
    public static long Rows(ulong seedKey, long parentRows, int min, int max, int table)
    {
        CheckParents(parentRows);
        long rows = 0;
        for (long p = 0; p < parentRows; p++) rows += Children(seedKey, p, min, max, table);
        return rows;
    }

    private static long Children(ulong seedKey, long parent, int min, int max, int table) =>
        min + (long)SplitMix64.ForCell(seedKey, parent, StreamBase + table).NextBelow((ulong)(max - min + 1));

    private static void CheckParents(long parentRows)
    {
        if (parentRows is < 1 or > RelatedTable.MaxParentRows) throw new ContractException($"a table with child tables has 1 to {RelatedTable.MaxParentRows:N0} rows; got {parentRows:N0}.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var starts = LazyInitializer.EnsureInitialized(ref _starts, ref _built, ref _gate, () => Starts(seedKey, _parentRows, _min, _max, _table))!;
        var text = chunk.Columns[columnIndex].Text;
        // The parent of the chunk's first row: the last p whose children start at or before it.
        var index = Array.BinarySearch(starts, chunk.FirstRow);
        var parent = index >= 0 ? index : ~index - 1;
        // Parents without children share a start: move to the last of them.
        while (parent + 1 < starts.Length - 1 && starts[parent + 1] <= chunk.FirstRow) parent++;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var row = chunk.FirstRow + i;
            while (starts[parent + 1] <= row) parent++;
            var span = text.Reserve(_prefix.Length + 20);
            _prefix.CopyTo(span);
            var n = AsciiFormat.WritePadded(span[_prefix.Length..], (ulong)(parent + 1), _width);
            text.Commit(_prefix.Length + n);
        }
    }
}
