using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>sequence</c>: a unique id per row, prefix + zero-padded row number (1-based), e.g. txn_0000000042.</summary>
public sealed class SequenceGenerator(ColumnSpec spec) : IColumnGenerator
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(spec.GetString("prefix"));
    private readonly int _width = (int)spec.GetInteger("width");

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var span = text.Reserve(_prefix.Length + 20);
            _prefix.CopyTo(span);
            var n = AsciiFormat.WritePadded(span[_prefix.Length..], (ulong)(chunk.FirstRow + i + 1), _width);
            text.Commit(_prefix.Length + n);
        }
    }
}
