using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace RadMah.Gateway.Services;

/// <summary>Instants written as the API's transcoded messages write a Timestamp (RFC 3339 in UTC), for the few JSON fields the gateway writes itself.</summary>
public static class ApiTimestamps
{
    public static string Format(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return JsonFormatter.Default.Format(Timestamp.FromDateTime(utc)).Trim('"');
    }
}
