using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>email</c>: derived from the row's own name columns, e.g. Maria Garcia → maria.garcia27@example.com.
/// Letters are lower-cased and anything but a–z dropped; the number keeps addresses apart.
/// </summary>
public sealed class EmailGenerator : IColumnGenerator
{
    private readonly int _first, _last;
    private readonly byte[][] _domains;
    private readonly WeightedChoice _domainChoice;

    public EmailGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        _first = GeneratorFactory.IndexOf(earlier, spec.GetString("first"), spec.Name);
        _last = GeneratorFactory.IndexOf(earlier, spec.GetString("last"), spec.Name);
        var domains = spec.GetStrings("domains");
        _domains = domains.Select(d => Encoding.UTF8.GetBytes("@" + d)).ToArray();
        _domainChoice = new WeightedChoice(spec.GetNumbers("domain_weights"), $"Column '{spec.Name}'");
        if (_domainChoice.Count != _domains.Length) throw new ContractException($"Column '{spec.Name}': domains and domain_weights must have the same length.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        var first = chunk.Columns[_first].Text;
        var last = chunk.Columns[_last].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var domain = _domains[_domainChoice.Next(ref rng)];
            var number = rng.NextBelow(1000);
            var span = text.Reserve(first.Get(i).Length + last.Get(i).Length + domain.Length + 8);
            var n = Identifier.WriteLowerLetters(span, first.Get(i));
            span[n++] = (byte)'.';
            n += Identifier.WriteLowerLetters(span[n..], last.Get(i));
            n += AsciiFormat.WritePadded(span[n..], number, 1);
            domain.CopyTo(span[n..]);
            text.Commit(n + domain.Length);
        }
    }
}
