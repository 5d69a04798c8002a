using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>pattern</c>: text in one of <c>patterns</c> (chosen by <c>weights</c>), where 9 becomes a
/// random digit, A an upper-case letter, a a lower-case letter, and any other character stays as
/// written: "+9 (999) 999-9999", "AA9 9AA", "99999". Look-alike contracts use the value shapes
/// analyze saw for phone numbers, postal codes and codes, so the format survives but no value does.
/// </summary>
public sealed class PatternGenerator : IColumnGenerator
{
    private readonly byte[][] _patterns;
    private readonly WeightedChoice _choice;

    public PatternGenerator(ColumnSpec spec)
    {
        var patterns = spec.GetStrings("patterns");
        if (patterns.Count == 0) throw new ContractException($"Column '{spec.Name}': needs at least one pattern.");
        if (patterns.Any(p => p.Length is 0 or > 200)) throw new ContractException($"Column '{spec.Name}': patterns must be 1 to 200 characters.");
        _patterns = patterns.Select(Encoding.UTF8.GetBytes).ToArray();
        _choice = new WeightedChoice(spec.GetNumbers("weights"), $"Column '{spec.Name}'");
        if (_choice.Count != _patterns.Length) throw new ContractException($"Column '{spec.Name}': patterns and weights must have the same length.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var pattern = _patterns[_choice.Next(ref rng)];
            var span = text.Reserve(pattern.Length);
            for (var c = 0; c < pattern.Length; c++)
            {
                span[c] = pattern[c] switch
                {
                    (byte)'9' => (byte)('0' + rng.NextBelow(10)),
                    (byte)'A' => (byte)('A' + rng.NextBelow(26)),
                    (byte)'a' => (byte)('a' + rng.NextBelow(26)),
                    var literal => literal,
                };
            }
            text.Commit(pattern.Length);
        }
    }
}
