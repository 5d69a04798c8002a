using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>timestamp</c>: a UTC instant in [start, end), both given as ISO-8601 UTC text in the contract.</summary>
public sealed class TimestampGenerator : IColumnGenerator
{
    private readonly long _start, _end;

    public TimestampGenerator(ColumnSpec spec)
    {
        if (spec.Type != ColumnType.Timestamp) throw new ContractException($"Column '{spec.Name}': timestamp generator needs a timestamp column.");
        _start = TimeWindow.ParseInstant(spec, "start");
        _end = TimeWindow.ParseInstant(spec, "end");
        if (_start >= _end) throw new ContractException($"Column '{spec.Name}': start must be before end.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Longs;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            values[i] = rng.NextInRange(_start, _end - 1);
        }
    }
}
