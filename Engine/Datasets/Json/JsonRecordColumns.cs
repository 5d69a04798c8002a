using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace RadMah.Engine.Datasets.Json;

/// <summary>
/// The columns of a stream of JSON objects (JSON Lines, or the elements of a JSON array), built into
/// utf8 record batches. Columns are the objects' members, in order of first appearance; a member that
/// first appears later becomes a new column, null in the rows before it. Values keep their JSON
/// spelling: numbers as written, true/false, strings unescaped, nested objects and arrays as their
/// JSON text; JSON null is a null.
/// </summary>
internal sealed class JsonRecordColumns(int batchRows)
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _columnOf = new(StringComparer.Ordinal);
    private readonly List<Utf8ColumnBuilder> _builders = [];
    private readonly List<string> _warnings = [];
    private byte[] _scratch = new byte[256];
    private bool[] _seen = new bool[16];

    public int Count => _names.Count;

    /// <summary>Rows added since the last batch was built.</summary>
    public int PendingRows { get; private set; }

    /// <summary>Rows in the batches built so far: the first row of the next one.</summary>
    public long BuiltRows { get; private set; }

    /// <summary>What the reader tells of the file: its encoding, and once read, its rows and columns (<see cref="Describe"/>).</summary>
    public Dictionary<string, string> Details { get; } = new() { ["encoding"] = "utf-8" };

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Adds the object <paramref name="text"/> as a row. <paramref name="where"/> names it in errors and warnings
    /// ("line 7", "element 7"); <paramref name="what"/> is what a record must be, for the error when it is not an object.
    /// </summary>
    public void Add(ReadOnlySpan<byte> text, string where, string what)
    {
        if (_seen.Length < _builders.Count) _seen = new bool[_builders.Count * 2];
        System.Array.Clear(_seen);
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new DatasetException($"{where}: not a JSON object ({what}).");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var column = ColumnOf(reader.GetString()!);
                reader.Read();
                if (_seen[column])
                {
                    reader.Skip();
                    if (_warnings.Count < 20) _warnings.Add($"{where}: member \"{_names[column]}\" appears twice; the first value is kept.");
                    continue;
                }
                _seen[column] = true;
                Append(ref reader, text, _builders[column]);
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new DatasetException($"{where}: the object is not closed.");
            if (reader.Read()) throw new DatasetException($"{where}: more than one JSON value (character {reader.TokenStartIndex + 1}).");
        }
        catch (JsonException ex)
        {
            throw new DatasetException($"{where}: invalid JSON at character {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}");
        }
        for (var c = 0; c < _builders.Count; c++)
            if (!_seen[c]) _builders[c].EndField(isNull: true);
        PendingRows++;
    }

    /// <summary>The rows added since the last batch, as one batch following the batches built before it.</summary>
    public TableBatch Build()
    {
        var rented = new List<byte[]>();
        var schema = new Schema(_names.Select(n => new Field(n, StringType.Default, nullable: true)), null);
        var arrays = _builders.Select(b => (IArrowArray)b.Build(rented)).ToList();
        var batch = new TableBatch(new RecordBatch(schema, arrays, PendingRows), BuiltRows, rented);
        BuiltRows += PendingRows;
        PendingRows = 0;
        return batch;
    }

    /// <summary>Records the rows and columns read in <see cref="Details"/>, once the file has been read whole.</summary>
    public void Describe()
    {
        Details["rows"] = BuiltRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Details["columns"] = Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Release()
    {
        foreach (var b in _builders) b.Release();
    }

    private int ColumnOf(string name)
    {
        if (_columnOf.TryGetValue(name, out var column)) return column;
        column = _builders.Count;
        _columnOf[name] = column;
        _names.Add(name);
        var builder = new Utf8ColumnBuilder(batchRows);
        // Earlier rows of this batch did not have the member.
        for (var i = 0; i < PendingRows; i++) builder.EndField(isNull: true);
        _builders.Add(builder);
        if (_seen.Length < _builders.Count) System.Array.Resize(ref _seen, _builders.Count * 2);
        return column;
    }

    private void Append(ref Utf8JsonReader reader, ReadOnlySpan<byte> text, Utf8ColumnBuilder target)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                target.EndField(isNull: true);
                return;
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped) target.Append(reader.ValueSpan);
                else
                {
                    if (_scratch.Length < reader.ValueSpan.Length) _scratch = new byte[reader.ValueSpan.Length * 2];
                    var n = reader.CopyString(_scratch);
                    target.Append(_scratch.AsSpan(0, n));
                }
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var from = (int)reader.TokenStartIndex;
                reader.Skip();
                target.Append(text[from..(int)reader.BytesConsumed]);
                break;
            default:
                target.Append(reader.ValueSpan);
                break;
        }
        target.EndField();
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
