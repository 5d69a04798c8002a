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

    /// <summary>Which rows are null; read only when <see cref="HasNulls"/>. A null row still holds a value in its array (written as nothing).</summary>
    public bool[] Nulls = [];

    /// <summary>Whether any row of this chunk is null.</summary>
    public bool HasNulls { get; private set; }

    private int _rows;

    /// <summary>Marks a row of the current chunk null.</summary>
    public void SetNull(int row)
    {
        if (!HasNulls)
        {
            if (Nulls.Length < _rows) BufferPool.Replace(ref Nulls, _rows);
            Array.Clear(Nulls, 0, _rows);
            HasNulls = true;
        }
        Nulls[row] = true;
    }

    public void Reset(int rows)
    {
        _rows = rows;
        HasNulls = false;
        switch (Spec.Type)
        {
            case ColumnType.Int64 or ColumnType.Decimal or ColumnType.Timestamp:
                if (Longs.Length < rows) BufferPool.Replace(ref Longs, rows);
                break;
            case ColumnType.Date:
                if (Ints.Length < rows) BufferPool.Replace(ref Ints, rows);
                break;
            case ColumnType.Boolean:
                if (Bools.Length < rows) BufferPool.Replace(ref Bools, rows);
                break;
            case ColumnType.String:
                Text.Reset(rows);
                if (Codes.Length < rows) BufferPool.Replace(ref Codes, rows);
                break;
        }
    }

    /// <summary>Gives every array back to the shared pool.</summary>
    public void Release()
    {
        BufferPool.Return(ref Longs);
        BufferPool.Return(ref Ints);
        BufferPool.Return(ref Bools);
        BufferPool.Return(ref Codes);
        BufferPool.Return(ref Nulls);
        Text.Release();
    }
}
