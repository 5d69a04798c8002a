using System.Globalization;

namespace RadMah.Engine.Contracts;

/// <summary>The one text form of instants in signed documents and API fields: RFC 3339, UTC, microseconds.</summary>
public static class UtcTimestamp
{
    /// <summary>Microseconds, as PostgreSQL keeps them, so what is signed is what is stored.</summary>
    public static string Format(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
