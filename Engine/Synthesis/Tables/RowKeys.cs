using RadMah.Engine.Randomness;

namespace RadMah.Engine.Synthesis.Tables;

/// <summary>
/// A 64-bit key of a row's exact values: numbers by their bits (nulls alike, −0 as 0), categories by
/// their text. Equal rows of two tables with the same columns get equal keys, whatever each table's
/// category codes are; what counts a synthetic row as a copy of a training row.
/// </summary>
public sealed class RowKeys
{
    private readonly IReadOnlyList<TableColumn> _table;

    /// <summary>Each categorical column's text hashes by code (null for numbers), hashed once per table.</summary>
    private readonly ulong[]?[] _textHashes;

    public RowKeys(IReadOnlyList<TableColumn> table)
    {
        _table = table;
        _textHashes = [.. table.Select(c => c is CategoricalColumn k ? k.Categories.Select(TextHash).ToArray() : null)];
    }

    /// <summary>The key of row <paramref name="row"/>.</summary>
    public ulong Of(int row)
    {
        var key = 0x9E3779B97F4A7C15UL;
        for (var c = 0; c < _table.Count; c++)
        {
            var salt = (ulong)c << 56;
            switch (_table[c])
            {
                case NumericColumn n:
                    var v = n.Values[row];
                    var bits = double.IsNaN(v) ? 0x7FF8_0000_0000_0001UL : (ulong)BitConverter.DoubleToInt64Bits(v == 0 ? 0 : v);
                    key = SplitMix64.Mix64(key ^ bits ^ salt);
                    break;
                case CategoricalColumn k:
                    var code = k.Codes[row];
                    key = SplitMix64.Mix64(key ^ (code == CategoricalColumn.Null ? 0x6E756C6CUL : _textHashes[c]![code]) ^ salt);
                    break;
            }
        }
        return key;
    }

    /// <summary>The keys of every row of <paramref name="table"/>.</summary>
    public static ulong[] All(IReadOnlyList<TableColumn> table)
    {
        if (table.Count == 0) return [];
        var keys = new RowKeys(table);
        var result = new ulong[table[0].Length];
        for (var r = 0; r < result.Length; r++) result[r] = keys.Of(r);
        return result;
    }

    private static ulong TextHash(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var ch in text) h = (h ^ ch) * 0x100000001B3UL;
        return SplitMix64.Mix64(h);
    }
}
