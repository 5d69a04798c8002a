using System.Text.Json;
using System.Text.Json.Serialization;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>
/// The machine-readable profile of a dataset (profile.json). Its schema is documented in
/// docs/ANALYZE.md. Every number in it is a function of the dataset's bytes and the seed alone.
/// </summary>
public sealed record DatasetProfile
{
    public const string Version = "radmah.profile/1";

    public string ProfileVersion { get; init; } = Version;
    public required DatasetInfo Dataset { get; init; }
    /// <summary>How the file was read: delimiter, encoding, header, row groups…</summary>
    public required IReadOnlyDictionary<string, string> Reader { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    public required TableProfile Table { get; init; }
    public required IReadOnlyList<ColumnProfile> Columns { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

public sealed record DatasetInfo
{
    public string? Id { get; init; }
    public required string Name { get; init; }
    public required string ContentHash { get; init; }
    public required string Format { get; init; }
    public required long SizeBytes { get; init; }
}

public sealed record TableProfile
{
    public required long Rows { get; init; }
    public required int ColumnCount { get; init; }
    public required CountEstimate DuplicateRows { get; init; }
    public required IReadOnlyList<KeyCandidate> CandidatePrimaryKeys { get; init; }
    public IReadOnlyList<ForeignKeyCandidate> CandidateForeignKeys { get; init; } = [];
    public required IReadOnlyList<Association> Associations { get; init; }
    /// <summary>Rows the associations were computed on: every row, or a uniform sample of this many.</summary>
    public required long AssociationRows { get; init; }
}

/// <summary>A count that is exact, or an estimate (HyperLogLog, or a sample) when <see cref="Exact"/> is false.</summary>
public sealed record CountEstimate(long Count, bool Exact);

public sealed record KeyCandidate(string Column, bool Exact);

/// <summary>
/// <see cref="Dataset"/>.<see cref="Column"/> looks like a foreign key into <see cref="ReferencesDataset"/>.<see cref="ReferencesColumn"/>
/// (a candidate key there): <see cref="Containment"/> of its sampled distinct values are among the key's values.
/// </summary>
public sealed record ForeignKeyCandidate(string Dataset, string Column, string ReferencesDataset, string ReferencesColumn, double Containment);

/// <summary>
/// Strength of association between two columns, 0..1 (Pearson and Spearman are signed, −1..1):
/// pearson/spearman for two numeric columns, cramers_v for two categorical, correlation_ratio (η) for categorical × numeric.
/// </summary>
public sealed record Association(string A, string B, string Method, double Value, double? Spearman = null);

public sealed record ColumnProfile
{
    public required string Name { get; init; }
    public required int Index { get; init; }
    /// <summary>The column's type in the file: utf8 for text formats, else the Arrow type read.</summary>
    public required string PhysicalType { get; init; }
    /// <summary>integer, decimal, boolean, date, datetime, categorical, free_text, identifier, email, phone, url, ip_address, postal_code, currency_amount, country_code, latitude, longitude, empty.</summary>
    public required string SemanticType { get; init; }
    /// <summary>Share of non-missing values that fit <see cref="SemanticType"/>.</summary>
    public required double Confidence { get; init; }
    public required long Count { get; init; }
    public required long Nulls { get; init; }
    public required double NullRate { get; init; }
    /// <summary>How missing values were spelled, with their counts (text columns).</summary>
    public IReadOnlyDictionary<string, long>? MissingSpellings { get; init; }
    /// <summary>Non-missing values that do not fit the semantic type.</summary>
    public required long Invalid { get; init; }
    public required CountEstimate Distinct { get; init; }
    public NumericSummary? Numeric { get; init; }
    public TemporalSummary? Temporal { get; init; }
    public BooleanSummary? Boolean { get; init; }
    public LengthSummary? Length { get; init; }
    public required IReadOnlyList<ValueCount> TopValues { get; init; }
    /// <summary>Every category with its count (categorical and country-code columns, when counted exactly).</summary>
    public IReadOnlyList<ValueCount>? Categories { get; init; }
    public required bool TopValuesExact { get; init; }
    /// <summary>Kinds of personal data the column seems to hold: email, phone, person_name, ip_address, postal_code, card_number, iban, national_id, date_of_birth, location.</summary>
    public required IReadOnlyList<string> Pii { get; init; }
    /// <summary>Share of non-missing values of each shape (text columns), for readers who disagree with the inferred type.</summary>
    public IReadOnlyDictionary<string, double>? Shapes { get; init; }
    /// <summary>Value shapes of identifier and code columns (letters → A, digits → 9), most common first.</summary>
    public IReadOnlyList<ValueCount>? Patterns { get; init; }
}

public sealed record ValueCount(string Value, long Count, double Frequency);

public sealed record NumericSummary
{
    public required double Min { get; init; }
    public required double Max { get; init; }
    public required double Mean { get; init; }
    public required double Std { get; init; }
    /// <summary>Probability (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99) → value.</summary>
    public required IReadOnlyDictionary<string, double> Quantiles { get; init; }
    /// <summary>True when quantiles and histogram come from every value; false from a KLL sketch.</summary>
    public required bool Exact { get; init; }
    public required Histogram Histogram { get; init; }
    /// <summary>Most decimals written in a value.</summary>
    public required int Scale { get; init; }
    /// <summary>
    /// Most decimal places a value takes written out in full, its exponent counted (1.26e-24: 26).
    /// Not in profile.json (whose bytes a rerun repeats); 0 in a profile read back from it.
    /// </summary>
    [JsonIgnore]
    public int Places { get; init; }
    public required bool IntegerValued { get; init; }
    /// <summary>The value at each 1% step of probability (101 values): the marginal a look-alike generator samples.</summary>
    public required IReadOnlyList<double> Percentiles { get; init; }
}

public sealed record TemporalSummary
{
    /// <summary>Detected formats and the share of values written in each (several: mixed formats).</summary>
    public required IReadOnlyList<FormatShare> Formats { get; init; }
    public required string Min { get; init; }
    public required string Max { get; init; }
    public required IReadOnlyDictionary<string, string> Quantiles { get; init; }
    public required bool Exact { get; init; }
    public required Histogram Histogram { get; init; }
    public required bool HasTime { get; init; }
    /// <summary>Seconds since 1970-01-01 UTC at each 1% step of probability (101 values).</summary>
    public required IReadOnlyList<double> Percentiles { get; init; }
}

public sealed record FormatShare(string Format, double Share);

public sealed record BooleanSummary(long True, long False, double TrueRate);

public sealed record LengthSummary(int Min, int Max, double Mean);

/// <summary>Bin edges (one more than counts) and counts; temporal histograms have edges in seconds since the epoch.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);
