using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generators;

/// <summary><c>template</c>: one word from each list in <c>parts</c>, joined by <c>separator</c> (product names such as "Compact Steel Kettle").</summary>
public sealed class TemplateGenerator : IColumnGenerator
{
    private readonly byte[][][] _parts;
    private readonly byte[] _separator;

    public TemplateGenerator(ColumnSpec spec)
    {
        if (spec.Parameters["parts"] is not JsonArray parts || parts.Count == 0)
            throw new ContractException($"Column '{spec.Name}': parts must be a non-empty list of word lists.");
        _parts = parts.Select((p, i) => p is JsonArray words && words.Count > 0
            ? words.Select(w => Encoding.UTF8.GetBytes(w?.GetValue<string>() ?? throw new ContractException($"Column '{spec.Name}': parts[{i}] holds a null."))).ToArray()
            : throw new ContractException($"Column '{spec.Name}': parts[{i}] must be a non-empty list of words.")).ToArray();
        _separator = Encoding.UTF8.GetBytes(spec.GetString("separator"));
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var text = chunk.Columns[columnIndex].Text;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            var rng = SplitMix64.ForCell(seedKey, chunk.FirstRow + i, columnIndex);
            var span = text.Reserve(256);
            var n = 0;
            for (var p = 0; p < _parts.Length; p++)
            {
                if (p > 0) { _separator.CopyTo(span[n..]); n += _separator.Length; }
                var word = _parts[p][rng.NextBelow((ulong)_parts[p].Length)];
                word.CopyTo(span[n..]);
                n += word.Length;
            }
            text.Commit(n);
        }
    }
}
