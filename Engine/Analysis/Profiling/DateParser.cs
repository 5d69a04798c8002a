using System.Collections.Concurrent;
using System.Text;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>
/// One way to read a date or date-time: its format, as a compact key (<see cref="DateParser.Describe"/>
/// spells it in .NET custom format notation), and the UTC instant it gives.
/// </summary>
public readonly record struct DateReading(uint FormatKey, long EpochSeconds, bool HasTime, int Microseconds = 0)
{
    /// <summary>The instant in microseconds since 1970-01-01 UTC (fractions of a second included).</summary>
    public long EpochMicroseconds => EpochSeconds * 1_000_000 + Microseconds;
}

/// <summary>
/// Recognises the date and date-time spellings found in exported data: ISO 8601 (with T or space,
/// seconds, fractions, Z or an offset), year-first with slashes or dots, day-first and month-first
/// with slashes, dots or dashes (two- or four-digit years), English month names ("12 Jan 2024",
/// "Jan 12, 2024", "12-Jan-2024"), each optionally followed by a time with AM/PM. A value such as
/// 03/04/2024 has two readings (day-first and month-first); the column decides between them.
/// Values without an offset are taken as UTC. Parsing allocates nothing: formats are keys.
/// </summary>
public static class DateParser
{
    // Format key bits.
    private const uint YearFirst = 1, DayFirst = 2, MonthFirst = 3, DayMonthName = 4, MonthNameFirst = 5, KindMask = 7;
    private const int SeparatorShift = 3;
    private const uint FirstWide = 1 << 5, SecondWide = 1 << 6, FourDigitYear = 1 << 7, FullMonth = 1 << 8, Comma = 1 << 9;
    private const uint HasTimeBit = 1 << 10, TSeparator = 1 << 11, WideHour = 1 << 12, Seconds = 1 << 13;
    private const int FractionShift = 14;
    private const uint ZoneZ = 1 << 18, ZoneOffset = 2 << 18, ZoneMask = 3 << 18, AmPm = 1 << 20;

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] FullMonths = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    private static readonly ConcurrentDictionary<uint, string> Descriptions = new();

    /// <summary>
    /// The bits that only record how many digits a value happened to have: d/M/H match one or two
    /// digits, dd/MM/HH exactly two, so formats that differ only here are one format (the narrow one).
    /// </summary>
    public const uint WidthBits = FirstWide | SecondWide | WideHour;

    /// <summary>True when the value said its zone (Z or an offset); a value without one was read as UTC.</summary>
    public static bool HasZone(uint key) => (key & ZoneMask) != 0;

    /// <summary>True for the month-first reading of a numeric date (the other reading of an ambiguous value is day-first).</summary>
    public static bool IsMonthFirst(uint key) => (key & KindMask) == MonthFirst;

    public static bool IsDayFirst(uint key) => (key & KindMask) == DayFirst;

    /// <summary>The key with the other order of day and month (day-first ↔ month-first); other keys unchanged.</summary>
    public static uint Swapped(uint key) => (key & KindMask) switch
    {
        DayFirst => (key & ~KindMask) | MonthFirst,
        MonthFirst => (key & ~KindMask) | DayFirst,
        _ => key,
    };

    /// <summary>Readings of <paramref name="s"/> (ASCII, trimmed): none, one, or two for day/month-ambiguous values.</summary>
    public static int Parse(ReadOnlySpan<byte> s, Span<DateReading> readings)
    {
        if (s.Length < 6 || s.Length > 40 || readings.Length < 2) return 0;
        if (IsDigit(s[0])) return ParseNumeric(s, readings);
        if (IsLetter(s[0])) return ParseMonthFirst(s, readings);
        return 0;
    }

    private static uint SeparatorBits(byte sep) => sep switch
    {
        (byte)'-' => 0u,
        (byte)'/' => 1u,
        (byte)'.' => 2u,
        _ => 3u,
    } << SeparatorShift;

    private static int ParseNumeric(ReadOnlySpan<byte> s, Span<DateReading> readings)
    {
        var p = 0;
        var a = Digits(s, ref p, out var aLen);
        if (aLen == 0 || p >= s.Length) return 0;
        var sep = s[p];
        if (sep == ' ' && aLen <= 2) return ParseDayMonthName(s, readings);
        if (sep != '-' && sep != '/' && sep != '.') return 0;
        p++;
        if (p < s.Length && IsLetter(s[p]) && sep == '-' && aLen <= 2) return ParseDayMonthName(s, readings);
        var b = Digits(s, ref p, out var bLen);
        if (bLen == 0 || p >= s.Length || s[p] != sep) return 0;
        p++;
        var c = Digits(s, ref p, out var cLen);
        if (cLen == 0) return 0;
        var sepBits = SeparatorBits(sep);
        if (aLen == 4 && bLen is 1 or 2 && cLen is 1 or 2)
        {
            var key = YearFirst | sepBits | (bLen == 2 ? FirstWide : 0) | (cLen == 2 ? SecondWide : 0) | FourDigitYear;
            // Only yyyy-MM-dd may carry ISO's 'T' and zone.
            return Finish(s, p, a, b, c, key, iso: sep == '-' && bLen == 2 && cLen == 2, readings);
        }
        if (aLen is 1 or 2 && bLen is 1 or 2 && cLen is 2 or 4)
        {
            var year = cLen == 4 ? c : c < 70 ? 2000 + c : 1900 + c;
            var common = sepBits | (aLen == 2 ? FirstWide : 0) | (bLen == 2 ? SecondWide : 0) | (cLen == 4 ? FourDigitYear : 0);
            var n = Finish(s, p, year, b, a, DayFirst | common, iso: false, readings);
            // Dots are day-first only (German, Russian…); slashes and dashes may be either.
            if (sep != '.') n += Finish(s, p, year, a, b, MonthFirst | common, iso: false, readings[n..]);
            return n;
        }
        return 0;
    }

    /// <summary>"12 Jan 2024", "12 January 2024", "12-Jan-2024", "12-Jan-24".</summary>
    private static int ParseDayMonthName(ReadOnlySpan<byte> s, Span<DateReading> readings)
    {
        var p = 0;
        var day = Digits(s, ref p, out var dayLen);
        if (dayLen is < 1 or > 2 || p >= s.Length) return 0;
        var sep = s[p++];
        var month = MonthName(s, ref p, out var full);
        if (month == 0 || p >= s.Length || s[p] != sep) return 0;
        p++;
        var year = Digits(s, ref p, out var yearLen);
        if (yearLen is not (2 or 4)) return 0;
        if (yearLen == 2) year = year < 70 ? 2000 + year : 1900 + year;
        var key = DayMonthName | SeparatorBits(sep) | (dayLen == 2 ? FirstWide : 0) | (full ? FullMonth : 0) | (yearLen == 4 ? FourDigitYear : 0);
        return Finish(s, p, year, month, day, key, iso: false, readings);
    }

    /// <summary>"Jan 12, 2024", "January 12 2024".</summary>
    private static int ParseMonthFirst(ReadOnlySpan<byte> s, Span<DateReading> readings)
    {
        var p = 0;
        var month = MonthName(s, ref p, out var full);
        if (month == 0 || p >= s.Length || s[p] != ' ') return 0;
        p++;
        var day = Digits(s, ref p, out var dayLen);
        if (dayLen is < 1 or > 2 || p >= s.Length) return 0;
        var comma = s[p] == ',';
        if (comma) p++;
        if (p >= s.Length || s[p] != ' ') return 0;
        p++;
        var year = Digits(s, ref p, out var yearLen);
        if (yearLen != 4) return 0;
        var key = MonthNameFirst | (dayLen == 2 ? FirstWide : 0) | (full ? FullMonth : 0) | (comma ? Comma : 0) | FourDigitYear;
        return Finish(s, p, year, month, day, key, iso: false, readings);
    }

    /// <summary>Checks the date, reads an optional time (and a zone) after position <paramref name="p"/>, and writes the reading.</summary>
    private static int Finish(ReadOnlySpan<byte> s, int p, int year, int month, int day, uint key, bool iso, Span<DateReading> readings)
    {
        if (year is < 1000 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return 0;
        if (p == s.Length)
        {
            readings[0] = new DateReading(key, ToEpoch(year, month, day, 0, 0, 0, 0), false);
            return 1;
        }
        var separator = s[p];
        if (separator != ' ' && !(iso && separator == 'T')) return 0;
        p++;
        var hour = Digits(s, ref p, out var hourLen);
        if (hourLen is < 1 or > 2 || p >= s.Length || s[p] != ':') return 0;
        p++;
        var minute = Digits(s, ref p, out var minuteLen);
        if (minuteLen != 2 || minute > 59) return 0;
        key |= HasTimeBit | (separator == 'T' ? TSeparator : 0) | (hourLen == 2 ? WideHour : 0);
        var second = 0;
        var micros = 0;
        if (p < s.Length && s[p] == ':')
        {
            p++;
            second = Digits(s, ref p, out var secondLen);
            if (secondLen != 2 || second > 60) return 0;
            key |= Seconds;
            if (p < s.Length && s[p] is (byte)'.' or (byte)',')
            {
                p++;
                var fraction = Digits(s, ref p, out var fractionLen);
                if (fractionLen is < 1 or > 9) return 0;
                key |= (uint)fractionLen << FractionShift;
                micros = fractionLen <= 6 ? fraction * Pow10[6 - fractionLen] : fraction / Pow10[fractionLen - 6];
            }
        }
        var offsetMinutes = 0;
        if (p < s.Length)
        {
            if (s[p] == 'Z' && p + 1 == s.Length)
            {
                key |= ZoneZ;
                p++;
            }
            else if (s[p] is (byte)'+' or (byte)'-' && iso)
            {
                var sign = s[p] == '-' ? -1 : 1;
                p++;
                var oh = Digits(s, ref p, out var ohLen);
                var om = 0;
                if (ohLen == 4) { om = oh % 100; oh /= 100; }
                else if (ohLen == 2 && p < s.Length && s[p] == ':')
                {
                    p++;
                    om = Digits(s, ref p, out var omLen);
                    if (omLen != 2) return 0;
                }
                else if (ohLen != 2) return 0;
                if (oh > 14 || om > 59) return 0;
                offsetMinutes = sign * (oh * 60 + om);
                key |= ZoneOffset;
            }
            else if (s[p] == ' ' && p + 3 == s.Length && (s[p + 2] | 0x20) == 'm' && ((s[p + 1] | 0x20) == 'a' || (s[p + 1] | 0x20) == 'p'))
            {
                if (hour is < 1 or > 12) return 0;
                hour = hour % 12 + ((s[p + 1] | 0x20) == 'p' ? 12 : 0);
                key |= AmPm;
                p += 3;
            }
        }
        if (p != s.Length || hour > 23) return 0;
        readings[0] = new DateReading(key, ToEpoch(year, month, day, hour, minute, Math.Min(second, 59), offsetMinutes), true, micros);
        return 1;
    }

    private static readonly int[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    /// <summary>The format a key stands for, in .NET custom format notation (yyyy-MM-dd'T'HH:mm:ss'Z', dd/MM/yyyy, MMM d, yyyy…).</summary>
    public static string Describe(uint key) => Descriptions.GetOrAdd(key, static k =>
    {
        var sep = ((k >> SeparatorShift) & 3) switch { 0 => "-", 1 => "/", 2 => ".", _ => " " };
        var first = (k & FirstWide) != 0;
        var second = (k & SecondWide) != 0;
        var year = (k & FourDigitYear) != 0 ? "yyyy" : "yy";
        var month = (k & FullMonth) != 0 ? "MMMM" : "MMM";
        var text = new StringBuilder((k & KindMask) switch
        {
            YearFirst => $"yyyy{sep}{(first ? "MM" : "M")}{sep}{(second ? "dd" : "d")}",
            DayFirst => $"{(first ? "dd" : "d")}{sep}{(second ? "MM" : "M")}{sep}{year}",
            MonthFirst => $"{(first ? "MM" : "M")}{sep}{(second ? "dd" : "d")}{sep}{year}",
            DayMonthName => $"{(first ? "dd" : "d")}{sep}{month}{sep}{year}",
            MonthNameFirst => $"{month} {(first ? "dd" : "d")}{((k & Comma) != 0 ? "," : "")} yyyy",
            _ => "?",
        });
        if ((k & HasTimeBit) == 0) return text.ToString();
        var amPm = (k & AmPm) != 0;
        text.Append((k & TSeparator) != 0 ? "'T'" : " ");
        text.Append(amPm ? ((k & WideHour) != 0 ? "hh" : "h") : ((k & WideHour) != 0 ? "HH" : "H")).Append(":mm");
        if ((k & Seconds) != 0) text.Append(":ss");
        var fraction = (int)((k >> FractionShift) & 15);
        if (fraction > 0) text.Append('.').Append('f', fraction);
        if ((k & ZoneMask) == ZoneZ) text.Append("'Z'");
        else if ((k & ZoneMask) == ZoneOffset) text.Append("zzz");
        if (amPm) text.Append(" tt");
        return text.ToString();
    });

    private static long ToEpoch(int year, int month, int day, int hour, int minute, int second, int offsetMinutes) =>
        (new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond - offsetMinutes * 60L;

    private static int MonthName(ReadOnlySpan<byte> s, ref int p, out bool full)
    {
        full = false;
        var start = p;
        while (p < s.Length && IsLetter(s[p])) p++;
        var length = p - start;
        if (length is < 3 or > 9) return 0;
        Span<char> lower = stackalloc char[length];
        for (var i = 0; i < length; i++) lower[i] = (char)(s[start + i] | 0x20);
        for (var m = 0; m < 12; m++)
        {
            if (length == 3 && lower.SequenceEqual(Months[m])) return m + 1;
            if (lower.SequenceEqual(FullMonths[m]))
            {
                full = length > 3;
                return m + 1;
            }
        }
        // "Sept" is a common four-letter spelling.
        return lower.SequenceEqual("sept") ? 9 : 0;
    }

    private static int Digits(ReadOnlySpan<byte> s, ref int p, out int length)
    {
        var start = p;
        var value = 0;
        while (p < s.Length && IsDigit(s[p]) && p - start < 9) value = value * 10 + (s[p++] - '0');
        length = p - start;
        return value;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
