using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>flight_number</c>: an airline designator (weighted) followed by 1–4 digits, e.g. LH438.</summary>
public sealed class FlightNumberGenerator : IColumnGenerator
{
    private readonly byte[][] _carriers;
    private readonly WeightedChoice _choice;

    public FlightNumberGenerator(ColumnSpec spec)
    {
        _carriers = spec.GetStrings("carriers").Select(Encoding.UTF8.GetBytes).ToArray();
        _choice = new WeightedChoice(spec.GetNumbers("weights"), $"Column '{spec.Name}'");
        if (_choice.Count != _carriers.Length) throw new ContractException($"Column '{spec.Name}': carriers and weights must have the same length.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var carrier = _carriers[_choice.Next(ref rng)];
            var span = text.Reserve(carrier.Length + 4);
            carrier.CopyTo(span);
            var n = AsciiFormat.WritePadded(span[carrier.Length..], 1 + rng.NextBelow(9999), 1);
            text.Commit(carrier.Length + n);
        }
    }
}
