using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>timestamp_offset</c>: an earlier timestamp column plus [min_seconds, max_seconds], so "shipped" always follows "ordered".</summary>
public sealed class TimestampOffsetGenerator : IColumnGenerator
{
    private readonly int _base;
    private readonly long _minSeconds, _maxSeconds;

    public TimestampOffsetGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        _base = GeneratorFactory.IndexOf(earlier, spec.GetString("base"), spec.Name);
        if (earlier[_base].Type != ColumnType.Timestamp || spec.Type != ColumnType.Timestamp)
            throw new ContractException($"Column '{spec.Name}': timestamp_offset needs a timestamp column and a timestamp base.");
        _minSeconds = spec.GetInteger("min_seconds");
        _maxSeconds = spec.GetInteger("max_seconds");
        if (_minSeconds < 0 || _minSeconds > _maxSeconds) throw new ContractException($"Column '{spec.Name}': need 0 <= min_seconds <= max_seconds.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Longs;
        var bases = chunk.Columns[_base].Longs;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            values[i] = bases[i] + rng.NextInRange(_minSeconds, _maxSeconds);
        }
    }
}
