using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>foreign_key</c>: an id drawn from the same id space a <c>sequence</c> column with this prefix
/// and width produces (1..cardinality). With skew s &gt; 1, id = 1 + floor(cardinality · u^s), so
/// low ids (long-standing customers, busy sensors) appear more often, as in real data.
/// </summary>
public sealed class ForeignKeyGenerator : IColumnGenerator
{
    private readonly byte[] _prefix;
    private readonly int _width;
    private readonly long _cardinality;
    private readonly double _skew;

    public ForeignKeyGenerator(ColumnSpec spec)
    {
        _prefix = Encoding.UTF8.GetBytes(spec.GetString("prefix"));
        _width = (int)spec.GetInteger("width");
        _cardinality = spec.GetInteger("cardinality");
        _skew = spec.GetNumber("skew", 1.0);
        if (_cardinality < 1) throw new ContractException($"Column '{spec.Name}': cardinality must be at least 1.");
        if (!(_skew >= 1.0 && _skew <= 10.0)) throw new ContractException($"Column '{spec.Name}': skew must be between 1 and 10.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            long id;
            if (_skew == 1.0) id = 1 + (long)rng.NextBelow((ulong)_cardinality);
            else id = 1 + Math.Min(_cardinality - 1, (long)(_cardinality * Math.Pow(rng.NextDouble(), _skew)));
            var span = text.Reserve(_prefix.Length + 20);
            _prefix.CopyTo(span);
            var n = AsciiFormat.WritePadded(span[_prefix.Length..], (ulong)id, _width);
            text.Commit(_prefix.Length + n);
        }
    }
}
