using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>date_offset</c>: an earlier date column plus [min_days, max_days], so a due date follows its issue date.</summary>
public sealed class DateOffsetGenerator : IColumnGenerator
{
    private readonly int _base;
    private readonly int _minDays, _maxDays;

    public DateOffsetGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        _base = GeneratorFactory.IndexOf(earlier, spec.GetString("base"), spec.Name);
        if (earlier[_base].Type != ColumnType.Date || spec.Type != ColumnType.Date)
            throw new ContractException($"Column '{spec.Name}': date_offset needs a date column and a date base.");
        _minDays = (int)spec.GetInteger("min_days");
        _maxDays = (int)spec.GetInteger("max_days");
        if (_minDays < 0 || _minDays > _maxDays || _maxDays > 36_500) throw new ContractException($"Column '{spec.Name}': need 0 <= min_days <= max_days <= 36500.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Ints;
        var bases = chunk.Columns[_base].Ints;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            values[i] = bases[i] + (int)rng.NextInRange(_minDays, _maxDays);
        }
    }
}
