using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;

namespace RadMah.Engine.Mock.Generators;

/// <summary>
/// <c>lookup</c>: a value determined by an earlier categorical column through a fixed table,
/// e.g. a currency from the country, so the two always agree. Draws no randomness.
/// </summary>
public sealed class LookupGenerator : IColumnGenerator
{
    private readonly int _source;
    private readonly byte[][] _bySourceCode;
    private readonly int[] _codeBySourceCode;

    public LookupGenerator(ColumnSpec spec, IReadOnlyList<ColumnSpec> earlier)
    {
        var sourceName = spec.GetString("source");
        _source = GeneratorFactory.IndexOf(earlier, sourceName, spec.Name);
        var source = earlier[_source];
        if (source.Generator is not ("categorical" or "lookup"))
            throw new ContractException($"Column '{spec.Name}': lookup source '{sourceName}' must be categorical.");
        var keys = spec.GetStrings("keys");
        var results = spec.GetStrings("results");
        if (keys.Count != results.Count) throw new ContractException($"Column '{spec.Name}': keys and results must have the same length.");
        var sourceValues = SourceValues(source, earlier);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++) map[keys[i]] = results[i];
        var distinct = results.Distinct(StringComparer.Ordinal).ToList();
        _bySourceCode = new byte[sourceValues.Count][];
        _codeBySourceCode = new int[sourceValues.Count];
        for (var i = 0; i < sourceValues.Count; i++)
        {
            if (!map.TryGetValue(sourceValues[i], out var result))
                throw new ContractException($"Column '{spec.Name}': no entry for '{sourceValues[i]}' of column '{sourceName}'.");
            _bySourceCode[i] = Encoding.UTF8.GetBytes(result);
            _codeBySourceCode[i] = distinct.IndexOf(result);
        }
    }

    /// <summary>The ordered value list behind a categorical or lookup column, as codes index it.</summary>
    public static IReadOnlyList<string> SourceValues(ColumnSpec source, IReadOnlyList<ColumnSpec> earlier)
    {
        if (source.Generator == "categorical") return source.GetStrings("values");
        return source.GetStrings("results").Distinct(StringComparer.Ordinal).ToList();
    }

    public void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey)
    {
        var column = chunk.Columns[columnIndex];
        var codes = chunk.Columns[_source].Codes;
        for (var i = 0; i < chunk.RowCount; i++)
        {
            column.Codes[i] = _codeBySourceCode[codes[i]];
            column.Text.Append(_bySourceCode[codes[i]]);
        }
    }
}
