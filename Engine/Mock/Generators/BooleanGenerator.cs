using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>boolean</c>: true with probability <c>p_true</c>.</summary>
public sealed class BooleanGenerator : IColumnGenerator
{
    private readonly double _pTrue;

    public BooleanGenerator(ColumnSpec spec)
    {
        _pTrue = spec.GetNumber("p_true");
        if (spec.Type != ColumnType.Boolean) throw new ContractException($"Column '{spec.Name}': boolean generator needs a boolean column.");
        if (!(_pTrue >= 0 && _pTrue <= 1)) throw new ContractException($"Column '{spec.Name}': p_true must be between 0 and 1.");
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var values = chunk.Columns[columnIndex].Bools;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            values[i] = rng.NextDouble() < _pTrue;
        }
    }
}
