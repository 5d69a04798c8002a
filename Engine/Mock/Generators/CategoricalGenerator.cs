using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>categorical</c>: one of <c>values</c> with probability proportional to <c>weights</c>.
/// With <c>distinct_from</c> naming an earlier categorical column over the same values, a row
/// never repeats that column's value (a flight's destination is never its origin).
/// </summary>
public sealed class CategoricalGenerator : IColumnGenerator
{
    private readonly byte[][] _values;
    private readonly WeightedChoice _choice;
    private readonly int _distinctFrom = -1;

    public CategoricalGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        var values = spec.GetStrings("values");
        var weights = spec.GetNumbers("weights");
        if (values.Count != weights.Count)
            throw new ContractException($"Column '{spec.Name}': values and weights must have the same length.");
        if (values.Count < 1) throw new ContractException($"Column '{spec.Name}': needs at least one value.");
        _values = values.Select(v => Encoding.UTF8.GetBytes(v)).ToArray();
        _choice = new WeightedChoice(weights, $"Column '{spec.Name}'");
        if (spec.GetOptionalString("distinct_from") is { } other)
        {
            _distinctFrom = GeneratorFactory.IndexOf(earlier, other, spec.Name);
            if (earlier[_distinctFrom].Generator != "categorical" || !earlier[_distinctFrom].GetStrings("values").SequenceEqual(values))
                throw new ContractException($"Column '{spec.Name}': distinct_from must name a categorical column with the same values.");
            if (values.Count < 2) throw new ContractException($"Column '{spec.Name}': distinct_from needs at least two values.");
        }
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var column = chunk.Columns[columnIndex];
        var avoid = _distinctFrom >= 0 ? chunk.Columns[_distinctFrom].Codes : null;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var code = _choice.Next(ref rng);
            // Rejection keeps the other values' relative frequencies; at most a few redraws in practice.
            if (avoid is not null) while (code == avoid[i]) code = _choice.Next(ref rng);
            column.Codes[i] = code;
            column.Text.Append(_values[code]);
        }
    }
}
