using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>unique_integer</c>: every row a different whole number in [min, max], in a seeded order (a
/// keyed permutation of the row number, so rows can be made in any order on any thread and still
/// never repeat); rows past the range's size continue above max. For keys and codes that must not
/// repeat but are not a series.
/// </summary>
public sealed class UniqueIntegerGenerator : IColumnGenerator
{
    private readonly long _min, _max;
    private readonly ulong _size;
    private readonly int _halfBits;

    public UniqueIntegerGenerator(ColumnSpec spec)
    {
        _min = spec.GetInteger("min");
        _max = spec.GetInteger("max");
        if (spec.Type != ColumnType.Int64) throw new ContractException($"Column '{spec.Name}': unique_integer columns are int64.");
        if (_min > _max || (double)_max - _min > 1e15) throw new ContractException($"Column '{spec.Name}': min must not exceed max, and the range must be below 10^15.");
        _size = (ulong)(_max - _min) + 1;
        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(_size);
        _halfBits = Math.Max(1, (bits + 1) / 2);
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Longs;
        var key = Randomness.SplitMix64.Mix64(seedKey ^ ((ulong)columnIndex + 1) * 0x9E3779B97F4A7C15UL);
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var row = (ulong)(chunk.FirstRow + i);
            values[i] = row < _size ? _min + (long)Permute(row, key) : _max + 1 + (long)(row - _size);
        }
    }

    /// <summary>A bijection of [0, size): a 4-round Feistel network on 2·halfBits bits, walked until it lands inside the range.</summary>
    private ulong Permute(ulong value, ulong key)
    {
        var mask = (1UL << _halfBits) - 1;
        do
        {
            ulong left = value >> _halfBits, right = value & mask;
            for (var round = 0; round < 4; round++)
            {
                var f = Randomness.SplitMix64.Mix64(right ^ key ^ ((ulong)round << 56)) & mask;
                (left, right) = (right, left ^ f);
            }
            value = (left << _halfBits) | right;
        }
        while (value >= _size);
        return value;
    }
}
