using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>integer</c>: in [min, max]; uniform for skew 1, otherwise min + floor((max−min+1)·u^skew), which favours small values (quantities, satisfaction scores reversed by the domain).</summary>
public sealed class IntegerGenerator : IColumnGenerator
{
    private readonly long _min, _max;
    private readonly double _skew;

    public IntegerGenerator(ColumnSpec spec)
    {
        _min = spec.GetInteger("min");
        _max = spec.GetInteger("max");
        _skew = spec.GetNumber("skew", 1.0);
        if (spec.Type != ColumnType.Int64) throw new ContractException($"Column '{spec.Name}': integer columns are int64.");
        if (_min > _max) throw new ContractException($"Column '{spec.Name}': min must not exceed max.");
        if (!(_skew >= 1.0 && _skew <= 10.0)) throw new ContractException($"Column '{spec.Name}': skew must be between 1 and 10.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Longs;
        var span = _max - _min + 1;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            values[i] = _skew == 1.0
                ? rng.NextInRange(_min, _max)
                : _min + Math.Min(span - 1, (long)(span * Math.Pow(rng.NextDouble(), _skew)));
        }
    }
}
