using System.Text.Json;
using RadMah.Engine.Analysis.Profiling;

namespace RadMah.Engine.Analysis.Fit;

/// <summary>
/// The statistical fingerprint of a table (fit.json): each column's marginal (numeric and temporal
/// columns as 101 percentiles, which are also their quantile sketch, plus a histogram; categories
/// with their frequencies; the rate of true), and the association matrix. It depends on the
/// table's bytes alone (the sketches are seeded from the content hash, and no job, dataset or time
/// appears in it), so the same input always gives the same fit, and the same digest. Quality
/// reports and drift checks compare against it without the raw data.
/// </summary>
public sealed record FitDocument
{
    public const string Version = "radmah.fit/1";

    public string FitVersion { get; init; } = Version;
    public required FitInput Input { get; init; }
    public required long Rows { get; init; }
    public required IReadOnlyList<FitColumn> Columns { get; init; }
    public required IReadOnlyList<Association> Associations { get; init; }
    public required long AssociationRows { get; init; }

    /// <summary>The sketches' seed for an input: a function of its digest, not of the job.</summary>
    public static long SeedFor(string contentHash) =>
        (long)(Randomness.SplitMix64.Mix64(BitConverter.ToUInt64(Convert.FromHexString(contentHash["sha256:".Length..][..16]))) >> 11);

    public static FitDocument From(DatasetProfile profile) => new()
    {
        Input = new FitInput(profile.Dataset.ContentHash, profile.Dataset.Format),
        Rows = profile.Table.Rows,
        Columns = profile.Columns.Select(c => new FitColumn
        {
            Name = c.Name,
            SemanticType = c.SemanticType,
            Nulls = c.Nulls,
            NullRate = c.NullRate,
            Distinct = c.Distinct,
            Numeric = c.Numeric is { } n ? new FitNumeric(n.Min, n.Max, n.Mean, n.Std, n.Percentiles, n.Histogram, n.Exact) : null,
            Temporal = c.Temporal is { } t ? new FitTemporal(t.Min, t.Max, t.Percentiles, t.Histogram, t.Exact) : null,
            Categories = c.Categories?.Select(v => new FitCategory(v.Value, v.Frequency)).ToList(),
            TrueRate = c.Boolean?.TrueRate,
        }).ToList(),
        Associations = profile.Table.Associations,
        AssociationRows = profile.Table.AssociationRows,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, DatasetProfile.Json);
}

public sealed record FitInput(string ContentHash, string Format);

public sealed record FitColumn
{
    public required string Name { get; init; }
    public required string SemanticType { get; init; }
    public required long Nulls { get; init; }
    public required double NullRate { get; init; }
    public required CountEstimate Distinct { get; init; }
    public FitNumeric? Numeric { get; init; }
    public FitTemporal? Temporal { get; init; }
    public IReadOnlyList<FitCategory>? Categories { get; init; }
    public double? TrueRate { get; init; }
}

/// <summary>A numeric marginal; <see cref="Percentiles"/> is the quantile sketch (the value at each 1% of probability).</summary>
public sealed record FitNumeric(double Min, double Max, double Mean, double Std, IReadOnlyList<double> Percentiles, Histogram Histogram, bool Exact);

/// <summary>A temporal marginal in seconds since 1970-01-01 UTC.</summary>
public sealed record FitTemporal(string Min, string Max, IReadOnlyList<double> Percentiles, Histogram Histogram, bool Exact);

public sealed record FitCategory(string Value, double Frequency);
