using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>normal</c>: mean + std·z, clamped to [min, max] and rounded to <c>scale</c> decimals (sensor values, ratings).</summary>
public sealed class NormalGenerator : IColumnGenerator
{
    private readonly double _mean, _std, _min, _max, _factor;

    public NormalGenerator(ColumnSpec spec)
    {
        _mean = spec.GetNumber("mean");
        _std = spec.GetNumber("std");
        _min = spec.GetNumber("min");
        _max = spec.GetNumber("max");
        var scale = spec.Scale;
        if (spec.Type != ColumnType.Decimal) throw new ContractException($"Column '{spec.Name}': normal columns are decimal.");
        if (scale is < 0 or > 6) throw new ContractException($"Column '{spec.Name}': scale must be between 0 and 6.");
        if (!(_std > 0) || !(_min < _max)) throw new ContractException($"Column '{spec.Name}': needs std > 0 and min < max.");
        if (Math.Max(Math.Abs(_min), Math.Abs(_max)) * Math.Pow(10, scale) > 1e17) throw new ContractException($"Column '{spec.Name}': range is too large for decimal(18).");
        _factor = Math.Pow(10, scale);
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Longs;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var x = Math.Clamp(_mean + _std * rng.NextGaussian(), _min, _max);
            values[i] = (long)Math.Round(x * _factor, MidpointRounding.AwayFromZero);
        }
    }
}
