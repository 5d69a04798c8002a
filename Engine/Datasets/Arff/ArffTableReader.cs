using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using RadMah.Engine.Datasets.Csv;

namespace RadMah.Engine.Datasets.Arff;

/// <summary>
/// Reads Weka's ARFF into utf8 record batches, one column per <c>@attribute</c>, streamed line by
/// line. Values keep their spelling (types are inferred later, as for CSV), but the header's types
/// are checked on the way in, as Weka checks them: a numeric attribute's value must be a number and
/// a nominal attribute's one of its declared values. An unquoted ? is missing. Sparse rows
/// (<c>{3 x, 7 y}</c>) leave out numeric attributes at 0 and nominal ones at their first value, as
/// in Weka; a sparse row may not leave out a string or date. Instance weights are refused (reading
/// the rows as equals would change the data), as are relational attributes.
/// </summary>
public sealed class ArffTableReader : ITableReader
{
    public const int DefaultBatchRows = 16_384;

    private readonly TextReader _lines;
    private readonly ArffLine _line;
    private readonly int _batchRows;
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _details;
    private byte[] _utf8 = new byte[256];

    private ArffTableReader(TextReader lines, ArffLine line, ArffHeader header, string encoding, int batchRows)
    {
        _lines = lines;
        _line = line;
        _batchRows = batchRows;
        Header = header;
        _details = new Dictionary<string, string>
        {
            ["relation"] = header.Relation,
            ["encoding"] = encoding,
            ["columns"] = header.Attributes.Count.ToString(CultureInfo.InvariantCulture),
            ["attribute types"] = string.Join(", ", header.Attributes.GroupBy(a => a.Type).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}")),
        };
    }

    public DatasetFormat Format => DatasetFormat.Arff;
    public IReadOnlyDictionary<string, string> Details => _details;
    public IReadOnlyList<string> Warnings => _warnings;
    public ArffHeader Header { get; }

    /// <summary>Detects the encoding as for CSV and reads the header up to <c>@data</c>.</summary>
    public static async Task<ArffTableReader> OpenAsync(Stream stream, int batchRows = DefaultBatchRows, CancellationToken cancellationToken = default)
    {
        var head = await ReplayStream.ReadHeadAsync(stream, DatasetFormatDetector.HeadBytes, cancellationToken).ConfigureAwait(false);
        if (head.Length == 0) throw new DatasetException("the file is empty.");
        var encoding = TextEncodingDetector.Detect(head);
        if (encoding.Encoding is null) throw new DatasetException("the file is not text: it holds zero bytes and no UTF-16 byte-order mark.");
        var lines = new StreamReader(new ReplayStream(head.AsMemory(encoding.BomLength), stream, leaveOpen: false), encoding.Encoding,
            detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: false);
        try
        {
            var line = new ArffLine();
            var header = await ArffHeader.ReadAsync(lines, line, cancellationToken).ConfigureAwait(false);
            return new ArffTableReader(lines, line, header, encoding.Name, batchRows);
        }
        catch
        {
            lines.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var attributes = Header.Attributes;
        var builders = attributes.Select(_ => new Utf8ColumnBuilder(_batchRows)).ToArray();
        var schema = new Schema(attributes.Select(a => new Field(a.Name, StringType.Default, nullable: true)), null);
        var given = new bool[attributes.Count];
        long builtRows = 0, sparseRows = 0;
        var pending = 0;
        try
        {
            while (await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
            {
                _line.Next(text);
                if (_line.AtEnd) continue;
                if (_line.TryTake('{'))
                {
                    ReadSparseRow(builders, given);
                    sparseRows++;
                }
                else ReadDenseRow(builders);
                if (++pending == _batchRows)
                {
                    yield return Build(schema, builders, pending, builtRows);
                    builtRows += pending;
                    pending = 0;
                }
            }
            if (pending > 0)
            {
                yield return Build(schema, builders, pending, builtRows);
                builtRows += pending;
            }
            _details["rows"] = builtRows.ToString(CultureInfo.InvariantCulture);
            if (sparseRows > 0) _details["sparse rows"] = sparseRows.ToString(CultureInfo.InvariantCulture);
        }
        finally
        {
            foreach (var b in builders) b.Release();
        }
    }

    private void ReadDenseRow(Utf8ColumnBuilder[] builders)
    {
        var attributes = Header.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (i > 0 && !_line.TryTake(','))
                throw _line.Error(_line.AtEnd
                    ? $"the row has {i} values; the header declares {attributes.Count} attributes."
                    : $"expected ',' after the value of \"{attributes[i - 1].Name}\", found '{_line.Peek()}'.");
            var value = _line.Token(",", stopAtSpace: false, out var quoted);
            Append(builders[i], attributes[i], value, quoted);
        }
        if (_line.TryTake(','))
        {
            if (_line.Peek() == '{') throw _line.Error("the row carries an instance weight ({…} after its values), which is not read here: the rows would be taken as equals.");
            throw _line.Error($"the row has more values than the {attributes.Count} attributes of the header.");
        }
        if (!_line.AtEnd) throw _line.Error($"unexpected '{_line.Peek()}' after the last value.");
    }

    private void ReadSparseRow(Utf8ColumnBuilder[] builders, bool[] given)
    {
        var attributes = Header.Attributes;
        System.Array.Clear(given);
        var values = new List<(int Index, string Value, bool Quoted)>();
        while (!_line.TryTake('}'))
        {
            if (values.Count > 0) _line.Expect(',', "',' or '}' between the sparse row's entries");
            var indexText = _line.Token(",}", stopAtSpace: true, out _);
            if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= attributes.Count)
                throw _line.Error($"\"{indexText}\" is not an attribute index (0 to {attributes.Count - 1}) in the sparse row.");
            if (given[index]) throw _line.Error($"the sparse row gives attribute {index} (\"{attributes[index].Name}\") twice.");
            given[index] = true;
            var value = _line.Token(",}", stopAtSpace: false, out var quoted);
            if (value.IsEmpty && !quoted) throw _line.Error($"the sparse row gives attribute {index} (\"{attributes[index].Name}\") no value.");
            values.Add((index, value.ToString(), quoted));
        }
        if (_line.Peek() is '{' or ',') throw _line.Error("the row carries an instance weight ({…} after its values), which is not read here: the rows would be taken as equals.");
        if (!_line.AtEnd) throw _line.Error($"unexpected '{_line.Peek()}' after the sparse row.");
        values.Sort((a, b) => a.Index.CompareTo(b.Index));
        var next = 0;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (next < values.Count && values[next].Index == i)
            {
                Append(builders[i], attributes[i], values[next].Value, values[next].Quoted);
                next++;
                continue;
            }
            var omitted = attributes[i].Type switch
            {
                ArffType.Numeric => "0",
                ArffType.Nominal => attributes[i].NominalValues[0],
                _ => throw _line.Error($"the sparse row leaves out \"{attributes[i].Name}\", a {attributes[i].Describe()} attribute; only numeric and nominal attributes have a value when left out."),
            };
            Append(builders[i], attributes[i], omitted, quoted: true);
        }
    }

    private void Append(Utf8ColumnBuilder builder, ArffAttribute attribute, ReadOnlySpan<char> value, bool quoted)
    {
        if (!quoted && value is "?")
        {
            builder.EndField(isNull: true);
            return;
        }
        switch (attribute.Type)
        {
            case ArffType.Numeric when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                throw _line.Error($"\"{value}\" is not a number, and \"{attribute.Name}\" is numeric.");
            case ArffType.Nominal when !attribute.Allows(value):
                throw _line.Error($"\"{value}\" is not one of the values declared for \"{attribute.Name}\" ({Preview(attribute.NominalValues)}).");
        }
        var bytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < bytes) _utf8 = new byte[Math.Max(bytes, _utf8.Length * 2)];
        builder.Append(_utf8.AsSpan(0, Encoding.UTF8.GetBytes(value, _utf8)));
        builder.EndField();
    }

    private static TableBatch Build(Schema schema, Utf8ColumnBuilder[] builders, int rows, long firstRow)
    {
        var rented = new List<byte[]>();
        var arrays = builders.Select(b => (IArrowArray)b.Build(rented)).ToList();
        return new TableBatch(new RecordBatch(schema, arrays, rows), firstRow, rented);
    }

    private static string Preview(IReadOnlyList<string> values) =>
        values.Count <= 8 ? string.Join(", ", values) : $"{string.Join(", ", values.Take(8))}, … {values.Count} in all";

    public ValueTask DisposeAsync()
    {
        _lines.Dispose();
        return ValueTask.CompletedTask;
    }
}
