using System.Runtime.CompilerServices;

namespace RadMah.Engine.Datasets.Json;

/// <summary>
/// Reads JSON Lines (one JSON object per line) into utf8 record batches; columns and values as
/// <see cref="JsonRecordColumns"/> makes them.
/// </summary>
public sealed class JsonLinesTableReader(Stream stream, int batchRows = JsonLinesTableReader.DefaultBatchRows) : ITableReader
{
    public const int DefaultBatchRows = 16_384;
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private readonly JsonRecordColumns _columns = new(batchRows);

    public DatasetFormat Format => DatasetFormat.JsonLines;
    public IReadOnlyDictionary<string, string> Details => _columns.Details;
    public IReadOnlyList<string> Warnings => _columns.Warnings;

    public async IAsyncEnumerable<TableBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        var eof = false;
        long line = 0;
        var bomChecked = false;
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
                        Array.Resize(ref buffer, buffer.Length * 2);
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
                _columns.Add(text, $"line {line}", "each line of JSON Lines must be one object");
                if (_columns.PendingRows == batchRows) yield return _columns.Build();
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (_columns.PendingRows > 0) yield return _columns.Build();
            if (_columns.BuiltRows == 0 && line == 0) throw new DatasetException("the file is empty.");
            _columns.Describe();
        }
        finally
        {
            _columns.Release();
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
