using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>username</c>: first initial + family name + a number, from the row's name columns (Maria Garcia → mgarcia204).</summary>
public sealed class UsernameGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier) : IColumnGenerator
{
    private readonly int _first = GeneratorFactory.IndexOf(earlier, spec.GetString("first"), spec.Name);
    private readonly int _last = GeneratorFactory.IndexOf(earlier, spec.GetString("last"), spec.Name);

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        var first = chunk.Columns[_first].Text;
        var last = chunk.Columns[_last].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var span = text.Reserve(last.Get(i).Length + 8);
            var n = Identifier.WriteLowerLetters(span, first.Get(i)[..1]);
            n += Identifier.WriteLowerLetters(span[n..], last.Get(i));
            n += AsciiFormat.WritePadded(span[n..], rng.NextBelow(10_000), 1);
            text.Commit(n);
        }
    }
}
