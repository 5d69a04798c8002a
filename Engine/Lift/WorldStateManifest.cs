using System.Text.Json;
using RadMah.Engine.Analysis.Profiling;

namespace RadMah.Engine.Lift;

/// <summary>
/// The manifest of a WorldState (manifest.json): the shape the input was read as, which columns
/// played which part, and every entity with its attributes and its time series (tag, type, unit,
/// point count, first and last instant in UTC, sampling interval, gaps, out-of-order points). The
/// series themselves are in worldstate.arrow, one record batch per series, in manifest order.
/// </summary>
public sealed record WorldStateManifest
{
    public const string Version = "radmah.worldstate/1";

    public string WorldstateVersion { get; init; } = Version;
    public required string InputContentHash { get; init; }
    /// <summary>long (historian: timestamp, tag, value[, quality]), wide_time (one row per timestamp) or wide_entity (one row per entity).</summary>
    public required string Shape { get; init; }
    public required IReadOnlyDictionary<string, string> Columns { get; init; }
    /// <summary>The zone naive timestamps were read in before conversion to UTC.</summary>
    public required string Timezone { get; init; }
    public required long Points { get; init; }
    public required IReadOnlyList<WorldEntity> Entities { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, DatasetProfile.Json);
}

public sealed record WorldEntity
{
    public required string Id { get; init; }
    public required IReadOnlyList<WorldAttribute> Attributes { get; init; }
    public required IReadOnlyList<WorldSeries> Series { get; init; }
}

/// <summary>A static attribute: number, boolean, timestamp (UTC ISO) or text, with its unit when the name gives one.</summary>
public sealed record WorldAttribute(string Name, string Type, string? Unit, string? Value);

public sealed record WorldSeries
{
    /// <summary>The tag as exported (unit suffix included).</summary>
    public required string Tag { get; init; }
    /// <summary>The tag without its unit.</summary>
    public required string Name { get; init; }
    public string? Unit { get; init; }
    /// <summary>number, boolean or text.</summary>
    public required string Type { get; init; }
    public required long Points { get; init; }
    public required string First { get; init; }
    public required string Last { get; init; }
    /// <summary>The median interval between consecutive points, in seconds: the sampling rate's period.</summary>
    public double? SamplingSeconds { get; init; }
    /// <summary>Intervals longer than 1.5 × the sampling period.</summary>
    public required long Gaps { get; init; }
    /// <summary>The longest gaps, longest first.</summary>
    public required IReadOnlyList<WorldGap> LongestGaps { get; init; }
    /// <summary>Points that came earlier in the file than a point with a later timestamp (they are sorted in the WorldState).</summary>
    public required long OutOfOrder { get; init; }
    /// <summary>Points sharing their timestamp with the point before (kept, in file order).</summary>
    public required long DuplicateTimestamps { get; init; }
    public IReadOnlyDictionary<string, long>? Quality { get; init; }
}

public sealed record WorldGap(string From, string To, double Seconds);
