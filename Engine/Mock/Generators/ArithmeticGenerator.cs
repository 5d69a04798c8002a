using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>arithmetic</c>: start + row × step, for int64, date (days) and timestamp (seconds) columns: a
/// daily series, an hourly log, a row number. Strictly increasing and unique for any row count.
/// </summary>
public sealed class ArithmeticGenerator : IColumnGenerator
{
    private readonly long _start, _step;

    public ArithmeticGenerator(ColumnSpec spec)
    {
        _start = spec.GetInteger("start");
        _step = spec.GetInteger("step");
        if (spec.Type is not (ColumnType.Int64 or ColumnType.Date or ColumnType.Timestamp))
            throw new ContractException($"Column '{spec.Name}': arithmetic columns are int64, date or timestamp.");
        // Bounds that keep start + row × step inside a long for every row a contract may have.
        if (_step is <= 0 or > 9_000_000_000) throw new ContractException($"Column '{spec.Name}': step must be a whole number from 1 to 9,000,000,000.");
        if (Math.Abs(_start) > 900_000_000_000_000_000) throw new ContractException($"Column '{spec.Name}': start is out of range.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var buffer = chunk.Columns[columnIndex];
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var value = _start + (chunk.FirstRow + i) * _step;
            switch (buffer.Spec.Type)
            {
                case ColumnType.Date:
                    buffer.Ints[i] = (int)Math.Clamp(value, -719_162, 2_932_896);
                    break;
                case ColumnType.Timestamp:
                    buffer.Longs[i] = Math.Clamp(value, -62_135_596_800, 253_402_300_799);
                    break;
                default:
                    buffer.Longs[i] = value;
                    break;
            }
        }
    }
}
