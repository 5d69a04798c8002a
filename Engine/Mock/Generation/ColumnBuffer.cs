using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Generation;

/// <summary>
/// One column's values for one chunk. Which array is used follows the column type:
/// Int64, Decimal (unscaled) and Timestamp (Unix seconds) use <see cref="Longs"/>, Date uses
/// <see cref="Ints"/> (days since 1970-01-01), Boolean uses <see cref="Bools"/>, String uses
/// <see cref="Text"/>. Categorical text columns also keep each row's category index in
/// <see cref="Codes"/> so derived columns can look values up without comparing bytes.
/// </summary>
public sealed class ColumnBuffer(ColumnSpec spec)
{
    public ColumnSpec Spec { get; } = spec;
    public long[] Longs = [];
    public int[] Ints = [];
    public bool[] Bools = [];
    public int[] Codes = [];
    public Utf8Column Text { get; } = new();

    public void Reset(int rows)
    {
        switch (Spec.Type)
        {
            case ColumnType.Int64 or ColumnType.Decimal or ColumnType.Timestamp:
                if (Longs.Length < rows) Longs = new long[rows];
                break;
            case ColumnType.Date:
                if (Ints.Length < rows) Ints = new int[rows];
                break;
            case ColumnType.Boolean:
                if (Bools.Length < rows) Bools = new bool[rows];
                break;
            case ColumnType.String:
                Text.Reset(rows);
                if (Codes.Length < rows) Codes = new int[rows];
                break;
        }
    }
}
