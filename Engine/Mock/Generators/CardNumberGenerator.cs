using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>card_number</c>: a 16-digit, Luhn-valid card number starting with one of <c>prefixes</c> (weighted).</summary>
public sealed class CardNumberGenerator : IColumnGenerator
{
    private readonly byte[][] _prefixes;
    private readonly WeightedChoice _choice;

    public CardNumberGenerator(ColumnSpec spec)
    {
        var prefixes = spec.GetStrings("prefixes");
        _choice = new WeightedChoice(spec.GetNumbers("weights"), $"Column '{spec.Name}'");
        if (_choice.Count != prefixes.Count) throw new ContractException($"Column '{spec.Name}': prefixes and weights must have the same length.");
        if (prefixes.Any(p => p.Length is < 1 or > 6 || !p.All(char.IsAsciiDigit)))
            throw new ContractException($"Column '{spec.Name}': prefixes must be 1 to 6 digits.");
        _prefixes = prefixes.Select(System.Text.Encoding.ASCII.GetBytes).ToArray();
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var prefix = _prefixes[_choice.Next(ref rng)];
            var span = text.Reserve(16);
            prefix.CopyTo(span);
            var body = rng.NextUInt64();
            for (var p = prefix.Length; p < 15; p++)
            {
                span[p] = (byte)('0' + (int)(body % 10));
                body /= 10;
            }
            span[15] = (byte)('0' + Luhn.CheckDigit(span[..15]));
            text.Commit(16);
        }
    }
}
