using System.Runtime.CompilerServices;

namespace RadMah.Engine.Mock.Generation;

/// <summary>Allocation-free ASCII formatting of the few shapes generators and encoders need.</summary>
public static class AsciiFormat
{
    /// <summary>Writes a non-negative integer with at least <paramref name="width"/> digits; returns bytes written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WritePadded(Span<byte> destination, ulong value, int width)
    {
        var digits = CountDigits(value);
        var length = Math.Max(digits, width);
        var pos = length;
        do
        {
            destination[--pos] = (byte)('0' + (int)(value % 10));
            value /= 10;
        } while (value != 0);
        while (pos > 0) destination[--pos] = (byte)'0';
        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteInt64(Span<byte> destination, long value)
    {
        if (value < 0)
        {
            destination[0] = (byte)'-';
            return 1 + WritePadded(destination[1..], (ulong)(-(value + 1)) + 1, 1);
        }
        return WritePadded(destination, (ulong)value, 1);
    }

    /// <summary>Writes an unscaled fixed-point value, e.g. 12345 with scale 2 as 123.45.</summary>
    public static int WriteDecimal(Span<byte> destination, long unscaled, int scale)
    {
        if (scale == 0) return WriteInt64(destination, unscaled);
        var pos = 0;
        ulong magnitude;
        if (unscaled < 0)
        {
            destination[pos++] = (byte)'-';
            magnitude = (ulong)(-(unscaled + 1)) + 1;
        }
        else magnitude = (ulong)unscaled;
        var divisor = Pow10(scale);
        pos += WritePadded(destination[pos..], magnitude / divisor, 1);
        destination[pos++] = (byte)'.';
        pos += WritePadded(destination[pos..], magnitude % divisor, scale);
        return pos;
    }

    /// <summary>yyyy-MM-dd from days since 1970-01-01 (civil-from-days, H. Hinnant).</summary>
    public static int WriteDate(Span<byte> destination, int daysSinceEpoch)
    {
        var (y, m, d) = CivilFromDays(daysSinceEpoch);
        WritePadded(destination, (ulong)y, 4);
        destination[4] = (byte)'-';
        WritePadded(destination[5..], (ulong)m, 2);
        destination[7] = (byte)'-';
        WritePadded(destination[8..], (ulong)d, 2);
        return 10;
    }

    /// <summary>yyyy-MM-ddTHH:mm:ssZ from Unix seconds.</summary>
    public static int WriteTimestamp(Span<byte> destination, long unixSeconds)
    {
        var days = (int)Math.Floor(unixSeconds / 86400.0);
        var secondOfDay = (int)(unixSeconds - days * 86400L);
        WriteDate(destination, days);
        destination[10] = (byte)'T';
        WritePadded(destination[11..], (ulong)(secondOfDay / 3600), 2);
        destination[13] = (byte)':';
        WritePadded(destination[14..], (ulong)(secondOfDay / 60 % 60), 2);
        destination[16] = (byte)':';
        WritePadded(destination[17..], (ulong)(secondOfDay % 60), 2);
        destination[19] = (byte)'Z';
        return 20;
    }

    public static (int Year, int Month, int Day) CivilFromDays(int z)
    {
        z += 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var d = doy - (153 * mp + 2) / 5 + 1;
        var m = mp < 10 ? mp + 3 : mp - 9;
        return (m <= 2 ? y + 1 : y, m, d);
    }

    public static ulong Pow10(int exponent)
    {
        ulong r = 1;
        for (var i = 0; i < exponent; i++) r *= 10;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountDigits(ulong value)
    {
        var digits = 1;
        while (value >= 10) { value /= 10; digits++; }
        return digits;
    }
}
