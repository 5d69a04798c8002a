using System.Globalization;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Generators;

/// <summary>Reads the instants and dates that bound time columns; contracts keep them as readable UTC text.</summary>
public static class TimeWindow
{
    public static long ParseInstant(ColumnSpec spec, string name)
    {
        var text = spec.GetString(name);
        if (!DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            throw new ContractException($"Column '{spec.Name}': '{name}' must look like 2025-01-01T00:00:00Z; got '{text}'.");
        return value.ToUnixTimeSeconds();
    }

    public static int ParseDate(ColumnSpec spec, string name)
    {
        var text = spec.GetString(name);
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new ContractException($"Column '{spec.Name}': '{name}' must look like 2025-01-01; got '{text}'.");
        return value.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    }

    public static string FormatInstant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
