namespace RadMah.Engine.Mock.Generation;

/// <summary>The rows [<see cref="FirstRow"/>, FirstRow + <see cref="RowCount"/>) of a dataset, column by column. Reused between chunks.</summary>
public sealed class GeneratedChunk(IReadOnlyList<ColumnBuffer> columns)
{
    public IReadOnlyList<ColumnBuffer> Columns { get; } = columns;
    public long FirstRow { get; set; }
    public int RowCount { get; set; }
    public int Index { get; set; }

    public void Release()
    {
        foreach (var column in Columns) column.Release();
    }
}
