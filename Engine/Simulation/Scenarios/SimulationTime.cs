using System.Globalization;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Simulation.Scenarios;

/// <summary>
/// Times in a scenario: a number of seconds, or text such as "90s", "15m", "1h30m", "1.5d", "2w",
/// "200ms". Inside the simulator every time is whole milliseconds, and every instant falls on the
/// 0.2 s physics step.
/// </summary>
public static class SimulationTime
{
    public const long Second = 1000, Minute = 60 * Second, Hour = 60 * Minute, Day = 24 * Hour, Week = 7 * Day;

    /// <summary>Milliseconds for a duration text; an <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static long ParseMilliseconds(string text)
    {
        var s = text.Trim();
        if (s.Length == 0) throw new ArgumentException("is empty");
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain)) return FromSeconds(plain);
        double total = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
                throw new ArgumentException($"'{text}' is not a duration such as 90s, 15m, 1h30m, 2d or 1w");
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            var unit = s[unitStart..i].ToLowerInvariant();
            var scale = unit switch
            {
                "ms" => 1.0,
                "s" or "sec" => Second,
                "m" or "min" => Minute,
                "h" => Hour,
                "d" => Day,
                "w" => Week,
                _ => throw new ArgumentException($"'{text}' has the unknown unit '{unit}' (ms, s, m, h, d, w)"),
            };
            total += amount * scale;
        }
        return FromMilliseconds(total, text);
    }

    private static long FromSeconds(double seconds) => FromMilliseconds(seconds * 1000, seconds.ToString(CultureInfo.InvariantCulture));

    private static long FromMilliseconds(double ms, string text)
    {
        if (!double.IsFinite(ms) || ms > 365.0 * Day) throw new ArgumentException($"'{text}' is not a duration of at most a year");
        var rounded = Math.Round(ms);
        if (Math.Abs(ms - rounded) > 1e-6) throw new ArgumentException($"'{text}' is not a whole number of milliseconds");
        return (long)rounded;
    }

    /// <summary>Seconds as the canonical scenario writes them.</summary>
    public static double Seconds(long ms) => ms / 1000.0;

    /// <summary>A short human form: 1d 2h 3m 4.2s.</summary>
    public static string Describe(long ms)
    {
        if (ms == 0) return "0s";
        var parts = new List<string>();
        if (ms >= Day) { parts.Add($"{ms / Day}d"); ms %= Day; }
        if (ms >= Hour) { parts.Add($"{ms / Hour}h"); ms %= Hour; }
        if (ms >= Minute) { parts.Add($"{ms / Minute}m"); ms %= Minute; }
        if (ms > 0) parts.Add((ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + "s");
        return string.Join(" ", parts);
    }

    /// <summary>An instant as the historian writes it: ISO 8601 UTC, milliseconds only when the instant has some.</summary>
    public static string FormatInstant(DateTime utc) =>
        utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static ContractException Error(string path, string message) => new($"params: scenario {path}: {message}.", "params");
}
