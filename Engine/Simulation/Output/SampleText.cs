using System.Buffers.Text;
using System.Globalization;
using System.Text;
using RadMah.Engine.Simulation.Process;

namespace RadMah.Engine.Simulation.Output;

/// <summary>
/// How samples are written as text, shared by the wide table and the historian so both read back
/// to the same doubles: a value is its count with the tag's decimals (261.58), an instant is ISO 8601
/// UTC (milliseconds only when the sampling period has them).
/// </summary>
internal static class SampleText
{
    private static readonly long[] Powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    private static readonly byte[][] Names = [.. SwatTags.All.Select(t => Encoding.UTF8.GetBytes(t.Name))];

    public static byte[] TagName(int tag) => Names[tag];

    /// <summary>Writes count / 10^decimals in fixed notation; returns the bytes written.</summary>
    public static int Value(Span<byte> destination, long count, int decimals)
    {
        var pos = 0;
        if (count < 0)
        {
            destination[pos++] = (byte)'-';
            count = -count;
        }
        var power = Powers[decimals];
        Utf8Formatter.TryFormat(count / power, destination[pos..], out var written);
        pos += written;
        if (decimals == 0) return pos;
        destination[pos++] = (byte)'.';
        Utf8Formatter.TryFormat(count % power, destination[pos..], out written, new System.Buffers.StandardFormat('D', (byte)decimals));
        return pos + written;
    }

    public static int Instant(Span<byte> destination, DateTime utc, bool milliseconds)
    {
        var format = milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'";
        utc.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture);
        return written;
    }
}
