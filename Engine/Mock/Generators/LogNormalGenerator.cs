using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>lognormal</c>: exp(mu + sigma·z), clamped to [min, max] and rounded half away from zero to
/// <c>scale</c> decimals. Money amounts are long-tailed like this: many small, a few large.
/// </summary>
public sealed class LogNormalGenerator : IColumnGenerator
{
    private readonly double _mu, _sigma, _min, _max, _factor;

    public LogNormalGenerator(ColumnSpec spec)
    {
        _mu = spec.GetNumber("mu");
        _sigma = spec.GetNumber("sigma");
        _min = spec.GetNumber("min");
        _max = spec.GetNumber("max");
        var scale = spec.Scale;
        if (spec.Type != ColumnType.Decimal) throw new ContractException($"Column '{spec.Name}': lognormal columns are decimal.");
        if (scale is < 0 or > 6) throw new ContractException($"Column '{spec.Name}': scale must be between 0 and 6.");
        if (!(_sigma > 0) || !(_min < _max)) throw new ContractException($"Column '{spec.Name}': needs sigma > 0 and min < max.");
        if (Math.Abs(_max) * Math.Pow(10, scale) > 1e17) throw new ContractException($"Column '{spec.Name}': max is too large for decimal(18).");
        _factor = Math.Pow(10, scale);
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Longs;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var x = Math.Clamp(Math.Exp(_mu + _sigma * rng.NextGaussian()), _min, _max);
            values[i] = (long)Math.Round(x * _factor, MidpointRounding.AwayFromZero);
        }
    }
}
