using System.Text;

namespace RadMah.Engine.Datasets;

/// <summary>
/// Tells the format of an upload from its first bytes: the Parquet and Arrow magic numbers, a
/// first line that is a JSON object (JSON Lines), a JSON array of objects, an ARFF header (its first
/// declaration, after % comments, is @relation), or text (CSV or TSV by the delimiter the sniffer finds). A JSON array of anything but objects is refused with what to
/// do instead.
/// The file name's extension only breaks ties between CSV and TSV; content decides the rest, so
/// a Parquet file named data.csv is still read as Parquet.
/// </summary>
public static class DatasetFormatDetector
{
    /// <summary>How much of the file detection looks at.</summary>
    public const int HeadBytes = 64 * 1024;

    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;
    private static ReadOnlySpan<byte> ArrowFileMagic => "ARROW1"u8;

    public static DatasetFormat Detect(ReadOnlySpan<byte> head, string? fileName)
    {
        if (head.Length == 0) throw new DatasetException("the file is empty.");
        if (head.StartsWith(ParquetMagic)) return DatasetFormat.Parquet;
        if (head.StartsWith(ArrowFileMagic)) return DatasetFormat.Arrow;
        // Arrow IPC stream format: a continuation marker (0xFFFFFFFF) before the first message's length.
        if (head.Length >= 8 && head[..4].SequenceEqual(stackalloc byte[] { 0xFF, 0xFF, 0xFF, 0xFF }) && head[4..8].IndexOfAnyExcept((byte)0) >= 0)
            return DatasetFormat.Arrow;
        var text = Csv.TextEncodingDetector.Detect(head);
        if (text.Encoding is null)
            throw new DatasetException("the file is not a supported format: not Parquet or Arrow, and not text (CSV, TSV or JSON Lines).");
        var decoded = text.Decode(head);
        var first = decoded.AsSpan().TrimStart();
        if (first.Length > 0 && first[0] == '{' && LooksLikeJsonObjectLine(first)) return DatasetFormat.JsonLines;
        // A JSON array of objects is a table, one row per object; an array of arrays or of values is
        // not, and saying so here beats accepting it as a one-column CSV whose jobs then fail.
        if (first.Length > 1 && first[0] == '[' && first[1..].TrimStart() is [var element, ..])
        {
            if (element is '{' or ']') return DatasetFormat.Json;
            if (element is '[' or '"' or '-' or 't' or 'f' or 'n' or (>= '0' and <= '9'))
                throw new DatasetException("the file is a JSON array of arrays or values, which is not a table read here; a JSON array of objects is (one object per row, members as columns), as are JSON Lines and CSV.");
        }
        if (StartsWithArffRelation(decoded)) return DatasetFormat.Arff;
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        var dialect = Csv.CsvDialectSniffer.Sniff(decoded, preferTab: extension is ".tsv" or ".tab");
        return dialect.Delimiter == '\t' ? DatasetFormat.Tsv : DatasetFormat.Csv;
    }

    /// <summary>Whether the first line that is neither blank nor a % comment declares @relation, as every ARFF file starts.</summary>
    private static bool StartsWithArffRelation(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var trimmed = line.Trim();
            if (trimmed.IsEmpty || trimmed[0] == '%') continue;
            return trimmed.StartsWith("@relation", StringComparison.OrdinalIgnoreCase) && (trimmed.Length == 9 || char.IsWhiteSpace(trimmed[9]));
        }
        return false;
    }

    private static bool LooksLikeJsonObjectLine(ReadOnlySpan<char> text)
    {
        var end = text.IndexOfAny('\n', '\r');
        // A first line longer than the head: an object that opens with a member name is JSON.
        if (end < 0 && text.Length >= HeadBytes / 4) return text.TrimStart("{ \t").StartsWith("\"");
        var line = end < 0 ? text : text[..end];
        try
        {
            var bytes = Encoding.UTF8.GetBytes(line.ToString());
            var reader = new System.Text.Json.Utf8JsonReader(bytes, isFinalBlock: end >= 0, default);
            using var document = System.Text.Json.JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
