using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Mock.Vocabulary;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>person_name</c>: a given name (part "first") or family name (part "last").</summary>
public sealed class PersonNameGenerator : IColumnGenerator
{
    private readonly byte[][] _names;

    public PersonNameGenerator(ColumnSpec spec)
    {
        _names = spec.GetString("part") switch
        {
            "first" => PersonNames.First.Select(Encoding.UTF8.GetBytes).ToArray(),
            "last" => PersonNames.Last.Select(Encoding.UTF8.GetBytes).ToArray(),
            var other => throw new ContractException($"Column '{spec.Name}': part must be 'first' or 'last'; got '{other}'."),
        };
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var column = chunk.Columns[columnIndex];
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var code = (int)rng.NextBelow((ulong)_names.Length);
            column.Codes[i] = code;
            column.Text.Append(_names[code]);
        }
    }
}
