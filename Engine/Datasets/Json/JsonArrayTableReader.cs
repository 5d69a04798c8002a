using System.Runtime.CompilerServices;

namespace RadMah.Engine.Datasets.Json;

/// <summary>
/// Reads a JSON array of objects (<c>[{"a": 1}, {"a": 2}]</c>, what <c>pandas.DataFrame.to_json(orient="records")</c>
/// and many data packages write) into utf8 record batches, one row per element, streamed: the array is
/// never held whole. Columns and values as <see cref="JsonRecordColumns"/> makes them.
/// </summary>
public sealed class JsonArrayTableReader(Stream stream, int batchRows = JsonArrayTableReader.DefaultBatchRows) : ITableReader
{
    public const int DefaultBatchRows = 16_384;
    public const int MaxElementBytes = 64 * 1024 * 1024;

    private readonly JsonRecordColumns _columns = new(batchRows);

    public DatasetFormat Format => DatasetFormat.Json;
    public IReadOnlyDictionary<string, string> Details => _columns.Details;
    public IReadOnlyList<string> Warnings => _columns.Warnings;

    private enum Expect
    {
        ArrayStart,
        FirstElementOrEnd,
        Element,
        CommaOrEnd,
        Nothing,
    }

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        var eof = false;
        var expect = Expect.ArrayStart;
        long element = 0;
        // Where the scan of the element being read stands (relative to start), so that reading more bytes never rescans it.
        int scanned = 0, depth = 0;
        bool inString = false, escaped = false;
        try
        {
            while (true)
            {
                var need = false;
                switch (expect)
                {
                    case Expect.Element when scanned > 0 || SkipWhitespace(buffer, ref start, end) < end:
                    {
                        if (scanned == 0 && buffer[start] != (byte)'{')
                            throw new DatasetException($"element {element + 1}: not a JSON object (a JSON array must hold one object per row).");
                        var close = ScanObject(buffer.AsSpan(start, end - start), ref scanned, ref depth, ref inString, ref escaped);
                        if (close < 0)
                        {
                            if (eof) throw new DatasetException($"element {element + 1}: the object is not closed; the file ends inside it.");
                            if (end - start >= MaxElementBytes) throw new DatasetException($"element {element + 1}: an object longer than {MaxElementBytes / (1024 * 1024)} MB.");
                            need = true;
                            break;
                        }
                        element++;
                        _columns.Add(buffer.AsSpan(start, close + 1), $"element {element}", "a JSON array must hold one object per row");
                        start += close + 1;
                        scanned = depth = 0;
                        expect = Expect.CommaOrEnd;
                        if (_columns.PendingRows == batchRows) yield return _columns.Build();
                        cancellationToken.ThrowIfCancellationRequested();
                        break;
                    }
                    default:
                        if (SkipWhitespace(buffer, ref start, end) == end)
                        {
                            if (!eof) need = true;
                            else if (expect == Expect.Nothing) goto done;
                            else throw new DatasetException(expect == Expect.ArrayStart ? "the file is empty." : $"the array is not closed; the file ends after element {element}.");
                            break;
                        }
                        var next = buffer[start];
                        switch (expect)
                        {
                            case Expect.ArrayStart when next == (byte)'[':
                                expect = Expect.FirstElementOrEnd;
                                start++;
                                break;
                            case Expect.ArrayStart:
                                throw new DatasetException("not a JSON array: the file must start with '['.");
                            case Expect.FirstElementOrEnd or Expect.CommaOrEnd when next == (byte)']':
                                expect = Expect.Nothing;
                                start++;
                                break;
                            case Expect.FirstElementOrEnd:
                                expect = Expect.Element;
                                break;
                            case Expect.CommaOrEnd when next == (byte)',':
                                expect = Expect.Element;
                                start++;
                                break;
                            case Expect.CommaOrEnd:
                                throw new DatasetException($"after element {element}: expected ',' or ']', found '{(char)next}'.");
                            case Expect.Nothing:
                                throw new DatasetException($"more content after the array's closing ']' (after element {element}).");
                        }
                        break;
                }
                if (!need) continue;
                // Keep the unread bytes at the front, grow when they fill the buffer, and read more.
                var pending = end - start;
                if (pending == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                else if (start > 0) Buffer.BlockCopy(buffer, start, buffer, 0, pending);
                var bomCheck = start == 0 && end == 0;
                start = 0;
                end = pending;
                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0) eof = true;
                end += read;
                if (bomCheck && end >= 3 && buffer.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) start = 3;
            }
            done:
            if (_columns.PendingRows > 0) yield return _columns.Build();
            if (_columns.BuiltRows == 0) throw new DatasetException("the JSON array has no rows.");
            _columns.Describe();
        }
        finally
        {
            _columns.Release();
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();

    /// <summary>Moves <paramref name="start"/> past JSON whitespace; returns where it stopped.</summary>
    private static int SkipWhitespace(byte[] buffer, ref int start, int end)
    {
        while (start < end && buffer[start] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') start++;
        return start;
    }

    /// <summary>
    /// Continues the scan of an object that starts at <paramref name="text"/>[0] from <paramref name="scanned"/>, keeping track of
    /// nesting and strings; returns the index of its closing brace, or −1 when the text ends first.
    /// </summary>
    private static int ScanObject(ReadOnlySpan<byte> text, ref int scanned, ref int depth, ref bool inString, ref bool escaped)
    {
        for (; scanned < text.Length; scanned++)
        {
            var b = text[scanned];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (b == (byte)'\\') escaped = true;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--depth == 0) return scanned++;
                    break;
            }
        }
        return -1;
    }
}
