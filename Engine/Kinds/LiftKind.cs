using RadMah.Engine.Jobs;

namespace RadMah.Engine.Kinds;

/// <summary>
/// lift: raw time-series data → typed WorldState (worldstate.arrow, manifest.json). params: how to
/// read the table, its shape, the columns that play each role, and the time zone of naive timestamps.
/// </summary>
public sealed class LiftKind : DataJobKind
{
    public const string WorldStateName = "worldstate.arrow";
    public const string ManifestName = "manifest.json";

    public override string Name => JobKinds.Lift;

    public override string MainResult => WorldStateName;

    protected override IReadOnlyDictionary<string, Func<string, string?>> Options { get; } = new Dictionary<string, Func<string, string?>>(DataJobContract.ReadingOptions)
    {
        ["shape"] = v => v is "auto" or "wide" or "long" or "wide_time" or "wide_entity" ? null : "must be auto, wide or long (or wide_time, wide_entity)",
        ["entity_column"] = ColumnName,
        ["timestamp_column"] = ColumnName,
        ["tag_column"] = ColumnName,
        ["value_column"] = ColumnName,
        ["quality_column"] = ColumnName,
        ["timezone"] = TimeZoneName,
    };

    private static string? ColumnName(string v) => v.Length is > 0 and <= 255 ? null : "must be a column name (1 to 255 characters)";

    private static string? TimeZoneName(string v)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(v);
            return null;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return "must be an IANA time zone such as Europe/Berlin or UTC";
        }
    }
}
