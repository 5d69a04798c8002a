using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Mock.Vocabulary;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>person_name</c>: a given name (part "first"), a family name (part "last") or both (part "full": "Maria Garcia").</summary>
public sealed class PersonNameGenerator : IColumnGenerator
{
    private readonly byte[][] _names;
    private readonly byte[][]? _lastNames;

    public PersonNameGenerator(ColumnSpec spec)
    {
        var part = spec.GetString("part");
        _names = part switch
        {
            "first" or "full" => PersonNames.First.Select(Encoding.UTF8.GetBytes).ToArray(),
            "last" => PersonNames.Last.Select(Encoding.UTF8.GetBytes).ToArray(),
            var other => throw new ContractException($"Column '{spec.Name}': part must be 'first', 'last' or 'full'; got '{other}'."),
        };
        if (part == "full") _lastNames = PersonNames.Last.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var column = chunk.Columns[columnIndex];
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var code = (int)rng.NextBelow((ulong)_names.Length);
            column.Codes[i] = code;
            if (_lastNames is null)
            {
                column.Text.Append(_names[code]);
                continue;
            }
            var last = _lastNames[rng.NextBelow((ulong)_lastNames.Length)];
            var span = column.Text.Reserve(_names[code].Length + 1 + last.Length);
            _names[code].CopyTo(span);
            span[_names[code].Length] = (byte)' ';
            last.CopyTo(span[(_names[code].Length + 1)..]);
            column.Text.Commit(_names[code].Length + 1 + last.Length);
        }
    }
}
