using System.Text;

namespace RadMah.Engine.Datasets.Csv;

/// <summary>
/// The text encoding of a file, from its byte-order mark or, without one, from its bytes: valid
/// UTF-8 is UTF-8; zero bytes in every other position are UTF-16 without a mark; anything else
/// that has no zero bytes is read as Windows-1252, the usual encoding of spreadsheets exported
/// on Western-European Windows. Files with zero bytes that are not UTF-16 are not text.
/// </summary>
public sealed record TextEncodingDetector(Encoding? Encoding, int BomLength, string Name)
{
    public static TextEncodingDetector Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return new(new UTF8Encoding(false), 3, "utf-8 (with BOM)");
        if (head.StartsWith(stackalloc byte[] { 0xFF, 0xFE, 0, 0 })) return new(new UTF32Encoding(false, false), 4, "utf-32le");
        if (head.StartsWith(stackalloc byte[] { 0xFF, 0xFE })) return new(new UnicodeEncoding(false, false), 2, "utf-16le");
        if (head.StartsWith(stackalloc byte[] { 0xFE, 0xFF })) return new(new UnicodeEncoding(true, false), 2, "utf-16be");
        if (head.IndexOf((byte)0) < 0)
        {
            if (IsUtf8(head)) return new(new UTF8Encoding(false), 0, "utf-8");
            return new(Windows1252, 0, "windows-1252");
        }
        // UTF-16 without a byte-order mark: ASCII-range text has a zero in every other byte.
        var (evenZeros, oddZeros) = (0, 0);
        var sample = head[..(Math.Min(head.Length, 4096) & ~1)];
        for (var i = 0; i < sample.Length; i += 2)
        {
            if (sample[i] == 0) evenZeros++;
            if (sample[i + 1] == 0) oddZeros++;
        }
        var pairs = Math.Max(1, sample.Length / 2);
        if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.05) return new(new UnicodeEncoding(false, false), 0, "utf-16le");
        if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.05) return new(new UnicodeEncoding(true, false), 0, "utf-16be");
        return new(null, 0, "binary");
    }

    public bool IsUtf8Encoded => Encoding is UTF8Encoding;

    /// <summary>The head as text, without the byte-order mark and without a character cut off at its end.</summary>
    public string Decode(ReadOnlySpan<byte> head)
    {
        if (Encoding is null) throw new InvalidOperationException("binary content has no text.");
        var decoder = Encoding.GetDecoder();
        var bytes = head[BomLength..];
        var chars = new char[Encoding.GetMaxCharCount(bytes.Length)];
        // flush: false keeps a trailing partial character out of the text instead of turning it into U+FFFD.
        var count = decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, count);
    }

    private static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }

    /// <summary>True when the bytes are valid UTF-8, allowing the last sequence to be cut off by the end of the head.</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false, isFinalBlock: false);
        return status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData && read >= bytes.Length - 3;
    }
}
