using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>quantile_integer</c>, <c>quantile_decimal</c>, <c>quantile_timestamp</c>, <c>quantile_date</c>:
/// values drawn from an empirical distribution given as <c>percentiles</c> (the value at each of
/// n + 1 equally spaced probabilities, n ≥ 1, non-decreasing): u uniform, then linear interpolation
/// between the two percentiles around u. This is how a look-alike contract (inferred by analyze)
/// reproduces a column's marginal, its range and its shape, without any of its values. Timestamps
/// are in seconds and dates in days since 1970-01-01; decimals round to <c>scale</c> digits.
/// </summary>
public sealed class QuantileGenerator : IColumnGenerator
{
    private readonly double[] _percentiles;
    private readonly double _factor;
    private readonly ColumnType _type;

    public QuantileGenerator(ColumnSpec spec)
    {
        _type = spec.Type;
        _percentiles = [.. spec.GetNumbers("percentiles")];
        if (_percentiles.Length < 2) throw new ContractException($"Column '{spec.Name}': percentiles needs at least two values (the minimum and the maximum).");
        for (var i = 0; i < _percentiles.Length; i++)
        {
            if (!double.IsFinite(_percentiles[i])) throw new ContractException($"Column '{spec.Name}': percentiles[{i}] is not a finite number.");
            if (i > 0 && _percentiles[i] < _percentiles[i - 1]) throw new ContractException($"Column '{spec.Name}': percentiles must not decrease (at {i}).");
        }
        var scale = spec.Scale;
        if (scale is < 0 or > 6) throw new ContractException($"Column '{spec.Name}': scale must be between 0 and 6.");
        _factor = Math.Pow(10, scale);
        var extreme = Math.Max(Math.Abs(_percentiles[0]), Math.Abs(_percentiles[^1]));
        if (_type == ColumnType.Decimal && extreme * _factor > 1e17) throw new ContractException($"Column '{spec.Name}': range is too large for decimal(18).");
        if (_type == ColumnType.Date && extreme > 2_900_000) throw new ContractException($"Column '{spec.Name}': dates must lie within years 0001–9999.");
        if (_type == ColumnType.Timestamp && extreme > 253_402_300_799) throw new ContractException($"Column '{spec.Name}': timestamps must lie within years 0001–9999.");
        if (_type == ColumnType.Int64 && extreme > 9e18) throw new ContractException($"Column '{spec.Name}': range is too large for int64.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var column = chunk.Columns[columnIndex];
        var steps = _percentiles.Length - 1;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var position = rng.NextDouble() * steps;
            var at = Math.Min(steps - 1, (int)position);
            var x = _percentiles[at] + (_percentiles[at + 1] - _percentiles[at]) * (position - at);
            switch (_type)
            {
                case ColumnType.Decimal: column.Longs[i] = (long)Math.Round(x * _factor, MidpointRounding.AwayFromZero); break;
                case ColumnType.Date: column.Ints[i] = (int)Math.Round(x); break;
                default: column.Longs[i] = (long)Math.Round(x, MidpointRounding.AwayFromZero); break;
            }
        }
    }
}
