using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Mock.Vocabulary;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>email</c>: derived from the row's own name columns, e.g. Maria Garcia → maria.garcia27@example.com.
/// Letters are lower-cased and anything but a–z dropped; the number keeps addresses apart. Without
/// <c>first</c> and <c>last</c> (a table with no name columns), names are drawn for each row.
/// </summary>
public sealed class EmailGenerator : IColumnGenerator
{
    private readonly int _first = -1, _last = -1;
    private static readonly byte[][] FirstNames = [.. PersonNames.First.Select(Encoding.UTF8.GetBytes)];
    private static readonly byte[][] LastNames = [.. PersonNames.Last.Select(Encoding.UTF8.GetBytes)];
    private readonly byte[][] _domains;
    private readonly WeightedChoice _domainChoice;

    public EmailGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        var first = spec.GetOptionalString("first");
        var last = spec.GetOptionalString("last");
        if ((first is null) != (last is null)) throw new ContractException($"Column '{spec.Name}': give both first and last, or neither.");
        if (first is not null)
        {
            _first = GeneratorFactory.IndexOf(earlier, first, spec.Name);
            _last = GeneratorFactory.IndexOf(earlier, last!, spec.Name);
        }
        var domains = spec.GetStrings("domains");
        _domains = domains.Select(d => Encoding.UTF8.GetBytes("@" + d)).ToArray();
        _domainChoice = new WeightedChoice(spec.GetNumbers("domain_weights"), $"Column '{spec.Name}'");
        if (_domainChoice.Count != _domains.Length) throw new ContractException($"Column '{spec.Name}': domains and domain_weights must have the same length.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        var first = _first >= 0 ? chunk.Columns[_first].Text : null;
        var last = _last >= 0 ? chunk.Columns[_last].Text : null;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var domain = _domains[_domainChoice.Next(ref rng)];
            var number = rng.NextBelow(1000);
            ReadOnlySpan<byte> given, family;
            if (first is not null)
            {
                given = first.Get(i);
                family = last!.Get(i);
            }
            else
            {
                // Drawn after the domain and number, so contracts with name columns keep their bytes.
                given = FirstNames[rng.NextBelow((ulong)FirstNames.Length)];
                family = LastNames[rng.NextBelow((ulong)LastNames.Length)];
            }
            var span = text.Reserve(given.Length + family.Length + domain.Length + 8);
            var n = Identifier.WriteLowerLetters(span, given);
            span[n++] = (byte)'.';
            n += Identifier.WriteLowerLetters(span[n..], family);
            n += AsciiFormat.WritePadded(span[n..], number, 1);
            domain.CopyTo(span[n..]);
            text.Commit(n + domain.Length);
        }
    }
}
