using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace RadMah.Engine.Datasets.Csv;

/// <summary>
/// Reads CSV and TSV (RFC 4180 quoting: delimiters, quotes and line breaks inside quoted fields)
/// from a stream of any size into utf8 record batches. The dialect and encoding are detected from
/// the head unless given; other encodings are transcoded to UTF-8 on the way in. The first
/// problem stops the read with its line and column: an unterminated quote, text after a closing
/// quote, or a record with another number of fields than the header. Blank lines are skipped.
/// </summary>
public sealed class CsvTableReader : ITableReader
{
    public const int DefaultBatchRows = 16_384;

    /// <summary>A record larger than this is refused: it is almost always an unterminated quote.</summary>
    public const int MaxRecordBytes = 64 * 1024 * 1024;

    private readonly Stream _utf8;
    private readonly CsvDialect _dialect;
    private readonly int _batchRows;
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _details;
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line = 1;

    private CsvTableReader(Stream utf8, CsvDialect dialect, DatasetFormat format, int batchRows)
    {
        _utf8 = utf8;
        _dialect = dialect;
        _batchRows = batchRows;
        _delimiter = (byte)dialect.Delimiter;
        _quote = (byte)dialect.Quote;
        Format = format;
        _details = new Dictionary<string, string>
        {
            ["delimiter"] = CsvDialect.Describe(dialect.Delimiter),
            ["quote"] = dialect.Quote.ToString(),
            ["encoding"] = dialect.EncodingName,
            ["header"] = dialect.HasHeader ? "true" : "false",
        };
    }

    public DatasetFormat Format { get; }
    public IReadOnlyDictionary<string, string> Details => _details;
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Column names: the header's (blank names numbered, duplicates suffixed) or column_1…column_N.</summary>
    public IReadOnlyList<string> ColumnNames { get; private set; } = [];

    /// <summary>
    /// Detects the encoding and dialect (unless <paramref name="delimiter"/> or <paramref name="header"/> say otherwise) and reads the header.
    /// </summary>
    /// <param name="headerNamesByValues">How the header is told (<see cref="CsvDialectSniffer.Sniff"/>'s namesByValues).</param>
    public static async Task<CsvTableReader> OpenAsync(Stream stream, string? fileName = null, char? delimiter = null, bool? header = null,
        int batchRows = DefaultBatchRows, CancellationToken cancellationToken = default, bool headerNamesByValues = true)
    {
        var head = await ReplayStream.ReadHeadAsync(stream, DatasetFormatDetector.HeadBytes, cancellationToken).ConfigureAwait(false);
        if (head.Length == 0) throw new DatasetException("the file is empty.");
        var encoding = TextEncodingDetector.Detect(head);
        if (encoding.Encoding is null) throw new DatasetException("the file is not text: it holds zero bytes and no UTF-16 byte-order mark.");
        var sample = encoding.Decode(head);
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        var sniffed = CsvDialectSniffer.Sniff(sample, preferTab: extension is ".tsv" or ".tab", delimiter, header, headerNamesByValues) with { EncodingName = encoding.Name };
        Stream replay = new ReplayStream(head.AsMemory(encoding.BomLength), stream, leaveOpen: false);
        if (!encoding.IsUtf8Encoded) replay = Encoding.CreateTranscodingStream(replay, encoding.Encoding, Encoding.UTF8, leaveOpen: false);
        var reader = new CsvTableReader(replay, sniffed, sniffed.Delimiter == '\t' ? DatasetFormat.Tsv : DatasetFormat.Csv, batchRows);
        await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        return reader;
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        // The first record decides the column count, header or not.
        var probe = new List<Utf8ColumnBuilder>();
        try
        {
            while (true)
            {
                var outcome = ParseRecord(probe, expectedFields: -1, growColumns: true);
                if (outcome == Outcome.NeedMore)
                {
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (outcome == Outcome.End) throw new DatasetException("the file has no records.");
                if (outcome == Outcome.Blank) continue;
                break;
            }
            var fields = probe.Select(b => Encoding.UTF8.GetString(b.Field(0))).ToList();
            if (_dialect.HasHeader)
            {
                ColumnNames = UniqueNames(fields);
                _pendingFirstRecord = null;
            }
            else
            {
                ColumnNames = Enumerable.Range(1, fields.Count).Select(i => $"column_{i}").ToList();
                _pendingFirstRecord = fields;
            }
            _details["columns"] = ColumnNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            foreach (var b in probe) b.Release();
        }
    }

    /// <summary>Without a header, the first record (read to count the columns) is the first row.</summary>
    private List<string>? _pendingFirstRecord;

    /// <summary>Builder positions at the start of the record being parsed, reused from record to record.</summary>
    private (int, int, int)[] _marks = [];

    private List<string> UniqueNames(List<string> raw)
    {
        var names = new List<string>(raw.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Count; i++)
        {
            var name = raw[i].Trim();
            if (name.Length == 0)
            {
                name = $"column_{i + 1}";
                _warnings.Add($"column {i + 1} has no name in the header; it is read as \"{name}\".");
            }
            if (seen.TryGetValue(name, out var count))
            {
                var renamed = name;
                var k = count + 1;
                while (seen.ContainsKey(renamed = $"{name}_{k}")) k++;
                seen[name] = k;
                _warnings.Add($"the header names \"{name}\" more than once; column {i + 1} is read as \"{renamed}\".");
                name = renamed;
            }
            seen.TryAdd(name, 1);
            names.Add(name);
        }
        return names;
    }

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var columns = ColumnNames.Count;
        var builders = Enumerable.Range(0, columns).Select(_ => new Utf8ColumnBuilder(_batchRows)).ToList();
        var schema = new Schema(ColumnNames.Select(n => new Field(n, StringType.Default, nullable: true)), null);
        long firstRow = 0;
        try
        {
            var rows = 0;
            if (_pendingFirstRecord is { } first)
            {
                for (var c = 0; c < columns; c++)
                {
                    builders[c].Append(Encoding.UTF8.GetBytes(first[c]));
                    builders[c].EndField();
                }
                rows = 1;
                _pendingFirstRecord = null;
            }
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outcome = ParseRecord(builders, columns, growColumns: false);
                if (outcome == Outcome.NeedMore)
                {
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (outcome == Outcome.Record) rows++;
                if (rows == _batchRows || (outcome == Outcome.End && rows > 0))
                {
                    var rented = new List<byte[]>(columns * 3);
                    var arrays = builders.Select(b => (IArrowArray)b.Build(rented)).ToList();
                    yield return new TableBatch(new RecordBatch(schema, arrays, rows), firstRow, rented);
                    firstRow += rows;
                    rows = 0;
                }
                if (outcome == Outcome.End) break;
            }
            _details["rows"] = firstRow.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            foreach (var b in builders) b.Release();
        }
    }

    private enum Outcome { Record, Blank, NeedMore, End }

    /// <summary>
    /// Parses one record at the buffer's start into the builders (one per column). NeedMore rolls the
    /// builders back and leaves the buffer unchanged, to be called again once more bytes are in.
    /// </summary>
    private Outcome ParseRecord(List<Utf8ColumnBuilder> builders, int expectedFields, bool growColumns)
    {
        var fieldCount = 0;
        var p = _start;
        if (p == _end)
        {
            if (_eof) return Outcome.End;
            return Outcome.NeedMore;
        }
        if (_marks.Length < builders.Count) _marks = new (int, int, int)[Math.Max(builders.Count, 16)];
        var marks = _marks;
        for (var i = 0; i < builders.Count; i++) marks[i] = builders[i].Mark;
        var buffer = _buffer;
        long newlinesInFields = 0;
        var recordLine = _line;
        while (true)
        {
            var column = fieldCount;
            if (column >= builders.Count)
            {
                if (!growColumns)
                    throw DatasetException.AtLine(recordLine, $"found more than the {expectedFields} columns of the header (a delimiter in an unquoted field?).");
                builders.Add(new Utf8ColumnBuilder(1));
                if (marks.Length < builders.Count) System.Array.Resize(ref _marks, builders.Count * 2);
                marks = _marks;
                marks[builders.Count - 1] = builders[^1].Mark;
            }
            var builder = builders[column];
            if (p < _end && buffer[p] == _quote)
            {
                var q = p + 1;
                while (true)
                {
                    var at = q < _end ? buffer.AsSpan(q, _end - q).IndexOf(_quote) : -1;
                    if (at < 0)
                    {
                        if (!_eof) return Rollback(builders, marks);
                        throw DatasetException.At(recordLine + newlinesInFields, column + 1, NameOf(column),
                            "a quoted field that opens here is never closed (the file ends inside quotes).");
                    }
                    var piece = buffer.AsSpan(q, at);
                    newlinesInFields += piece.Count((byte)'\n');
                    builder.Append(piece);
                    q += at + 1;
                    if (q == _end && !_eof) return Rollback(builders, marks);
                    if (q < _end && buffer[q] == _quote)
                    {
                        builder.Append(_quote);
                        q++;
                        continue;
                    }
                    break;
                }
                p = q;
                if (p < _end && buffer[p] != _delimiter && buffer[p] != '\n' && buffer[p] != '\r')
                    throw DatasetException.At(recordLine + newlinesInFields, column + 1, NameOf(column),
                        $"unexpected '{(char)buffer[p]}' after a closing quote (a quote inside a quoted field must be doubled).");
            }
            else
            {
                var at = p < _end ? buffer.AsSpan(p, _end - p).IndexOfAny(_delimiter, (byte)'\r', (byte)'\n') : -1;
                if (at < 0)
                {
                    if (!_eof) return Rollback(builders, marks);
                    at = _end - p;
                }
                builder.Append(buffer.AsSpan(p, at));
                p += at;
            }
            builder.EndField();
            fieldCount++;
            if (p == _end)
            {
                if (!_eof) return Rollback(builders, marks);
                break;
            }
            var c = buffer[p];
            if (c == _delimiter)
            {
                p++;
                if (p == _end && !_eof) return Rollback(builders, marks);
                continue;
            }
            if (c == '\r')
            {
                if (p + 1 == _end && !_eof) return Rollback(builders, marks);
                p += p + 1 < _end && buffer[p + 1] == '\n' ? 2 : 1;
            }
            else p++;
            break;
        }
        _start = p;
        _line = recordLine + newlinesInFields + 1;
        if (fieldCount == 1 && builders[0].Length > 0 && LastFieldEmpty(builders[0], marks[0]))
        {
            // A blank line: not a record.
            for (var i = 0; i < builders.Count; i++) builders[i].Rollback(marks[i]);
            return Outcome.Blank;
        }
        if (expectedFields >= 0 && fieldCount != expectedFields)
        {
            if (fieldCount > expectedFields)
                throw DatasetException.AtLine(recordLine, $"found {fieldCount} columns; the header has {expectedFields}.");
            throw DatasetException.At(recordLine, fieldCount, NameOf(fieldCount - 1), $"the record ends after column {fieldCount}; the header has {expectedFields} columns.");
        }
        return Outcome.Record;
    }

    private static bool LastFieldEmpty(Utf8ColumnBuilder builder, (int Length, int DataLength, int Nulls) mark) => builder.Mark.DataLength == mark.DataLength;

    private string NameOf(int column) => column < ColumnNames.Count ? ColumnNames[column] : $"column_{column + 1}";

    private static Outcome Rollback(List<Utf8ColumnBuilder> builders, (int, int, int)[] marks)
    {
        for (var i = 0; i < builders.Count; i++) builders[i].Rollback(marks[i]);
        return Outcome.NeedMore;
    }

    /// <summary>Moves the unparsed rest to the buffer's start (growing it for a long record) and reads more.</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordBytes)
                throw DatasetException.AtLine(_line, $"a record longer than {MaxRecordBytes / (1024 * 1024)} MB (a quoted field that is never closed?).");
            System.Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        _start = 0;
        _end = pending;
        var read = await _utf8.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0) _eof = true;
        _end += read;
    }

    public ValueTask DisposeAsync() => _utf8.DisposeAsync();
}
