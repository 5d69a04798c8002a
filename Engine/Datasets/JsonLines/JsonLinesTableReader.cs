using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace RadMah.Engine.Datasets.JsonLines;

/// <summary>
/// Reads JSON Lines (one JSON object per line) into utf8 record batches. Columns are the objects'
/// members, in order of first appearance; a member that first appears later becomes a new column,
/// null in the rows before it. Values keep their JSON spelling: numbers as written, true/false,
/// strings unescaped, nested objects and arrays as their JSON text; JSON null is a null.
/// </summary>
public sealed class JsonLinesTableReader(Stream stream, int batchRows = JsonLinesTableReader.DefaultBatchRows) : ITableReader
{
    public const int DefaultBatchRows = 16_384;
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _details = new() { ["encoding"] = "utf-8" };
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _columnOf = new(StringComparer.Ordinal);
    private readonly List<Utf8ColumnBuilder> _builders = [];
    private byte[] _scratch = new byte[256];

    public DatasetFormat Format => DatasetFormat.JsonLines;
    public IReadOnlyDictionary<string, string> Details => _details;
    public IReadOnlyList<string> Warnings => _warnings;

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        var eof = false;
        long line = 0;
        long firstRow = 0;
        var rows = 0;
        var bomChecked = false;
        var seen = new bool[16];
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline < 0 && !eof)
                {
                    var pending = end - start;
                    if (pending == buffer.Length)
                    {
                        if (buffer.Length >= MaxLineBytes) throw DatasetException.AtLine(line + 1, $"a line longer than {MaxLineBytes / (1024 * 1024)} MB.");
                        System.Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    else if (start > 0) Buffer.BlockCopy(buffer, start, buffer, 0, pending);
                    start = 0;
                    end = pending;
                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    if (read == 0) eof = true;
                    end += read;
                    if (!bomChecked && end >= 3)
                    {
                        bomChecked = true;
                        if (buffer.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) start = 3;
                    }
                    continue;
                }
                var length = newline < 0 ? end - start : newline;
                if (newline < 0 && length == 0) break;
                line++;
                var text = buffer.AsSpan(start, length);
                start += newline < 0 ? length : length + 1;
                if (text.Length > 0 && text[^1] == '\r') text = text[..^1];
                if (text.Trim(" \t"u8).IsEmpty)
                {
                    if (newline < 0) break;
                    continue;
                }
                if (seen.Length < _builders.Count) seen = new bool[_builders.Count * 2];
                System.Array.Clear(seen);
                ParseLine(text, line, rows, ref seen);
                for (var c = 0; c < _builders.Count; c++)
                    if (!seen[c]) _builders[c].EndField(isNull: true);
                rows++;
                if (rows == batchRows)
                {
                    yield return Build(rows, firstRow);
                    firstRow += rows;
                    rows = 0;
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (rows > 0)
            {
                yield return Build(rows, firstRow);
                firstRow += rows;
            }
            if (firstRow == 0 && line == 0) throw new DatasetException("the file is empty.");
            _details["rows"] = firstRow.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _details["columns"] = _names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            foreach (var b in _builders) b.Release();
        }
    }

    private TableBatch Build(int rows, long firstRow)
    {
        var rented = new List<byte[]>();
        var schema = new Schema(_names.Select(n => new Field(n, StringType.Default, nullable: true)), null);
        var arrays = _builders.Select(b => (IArrowArray)b.Build(rented)).ToList();
        return new TableBatch(new RecordBatch(schema, arrays, rows), firstRow, rented);
    }

    private void ParseLine(ReadOnlySpan<byte> text, long line, int rowInBatch, ref bool[] seen)
    {
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw DatasetException.AtLine(line, "not a JSON object (each line of JSON Lines must be one object).");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!_columnOf.TryGetValue(name, out var column))
                {
                    column = _builders.Count;
                    _columnOf[name] = column;
                    _names.Add(name);
                    var builder = new Utf8ColumnBuilder(batchRows);
                    // Earlier rows of this batch did not have the member.
                    for (var i = 0; i < rowInBatch; i++) builder.EndField(isNull: true);
                    _builders.Add(builder);
                    if (seen.Length < _builders.Count) System.Array.Resize(ref seen, _builders.Count * 2);
                }
                reader.Read();
                if (seen[column])
                {
                    reader.Skip();
                    if (_warnings.Count < 20) _warnings.Add($"line {line}: member \"{name}\" appears twice; the first value is kept.");
                    continue;
                }
                seen[column] = true;
                var target = _builders[column];
                switch (reader.TokenType)
                {
                    case JsonTokenType.Null:
                        target.EndField(isNull: true);
                        break;
                    case JsonTokenType.String:
                        if (!reader.ValueIsEscaped) target.Append(reader.ValueSpan);
                        else
                        {
                            if (_scratch.Length < reader.ValueSpan.Length) _scratch = new byte[reader.ValueSpan.Length * 2];
                            var n = reader.CopyString(_scratch);
                            target.Append(_scratch.AsSpan(0, n));
                        }
                        target.EndField();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var from = (int)reader.TokenStartIndex;
                        reader.Skip();
                        target.Append(text[from..(int)reader.BytesConsumed]);
                        target.EndField();
                        break;
                    default:
                        target.Append(reader.ValueSpan);
                        target.EndField();
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
                throw DatasetException.AtLine(line, "the object is not closed.");
            if (reader.Read())
                throw DatasetException.AtLine(line, $"more than one JSON value on the line (character {reader.TokenStartIndex + 1}).");
        }
        catch (JsonException ex)
        {
            throw DatasetException.AtLine(line, $"invalid JSON at character {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}");
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
