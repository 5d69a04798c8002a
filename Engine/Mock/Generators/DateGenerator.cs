using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>date</c>: a calendar date in [start, end), both yyyy-MM-dd.</summary>
public sealed class DateGenerator : IColumnGenerator
{
    private readonly int _start, _end;

    public DateGenerator(ColumnSpec spec)
    {
        if (spec.Type != ColumnType.Date) throw new ContractException($"Column '{spec.Name}': date generator needs a date column.");
        _start = TimeWindow.ParseDate(spec, "start");
        _end = TimeWindow.ParseDate(spec, "end");
        if (_start >= _end) throw new ContractException($"Column '{spec.Name}': start must be before end.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Ints;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            values[i] = (int)rng.NextInRange(_start, _end - 1);
        }
    }
}
