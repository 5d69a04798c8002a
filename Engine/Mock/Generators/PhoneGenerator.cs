using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Mock.Vocabulary;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>phone</c>: an E.164 number whose calling code matches the row's <c>country</c> column (+44 for GB), with a 10-digit subscriber part.</summary>
public sealed class PhoneGenerator : IColumnGenerator
{
    private readonly int _country;
    private readonly byte[][] _prefixByCountryCode;

    public PhoneGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        _country = GeneratorFactory.IndexOf(earlier, spec.GetString("country"), spec.Name);
        var values = LookupGenerator.SourceValues(earlier[_country], earlier);
        _prefixByCountryCode = values.Select(v =>
        {
            var info = Countries.All.FirstOrDefault(c => c.Code == v)
                ?? throw new ContractException($"Column '{spec.Name}': no calling code known for country '{v}'.");
            return Encoding.UTF8.GetBytes("+" + info.CallingCode);
        }).ToArray();
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        var countries = chunk.Columns[_country].Codes;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var prefix = _prefixByCountryCode[countries[i]];
            var span = text.Reserve(prefix.Length + 10);
            prefix.CopyTo(span);
            // Subscriber numbers never start with 0 in E.164 national significant numbers.
            var n = AsciiFormat.WritePadded(span[prefix.Length..], 2_000_000_000UL + rng.NextBelow(7_000_000_000UL), 10);
            text.Commit(prefix.Length + n);
        }
    }
}
