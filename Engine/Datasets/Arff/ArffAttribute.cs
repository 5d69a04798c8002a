namespace RadMah.Engine.Datasets.Arff;

/// <summary>The types an ARFF header declares (Weka's "integer" and "real" are numeric).</summary>
public enum ArffType
{
    Numeric,
    Nominal,
    String,
    Date,
}

/// <summary>
/// One <c>@attribute</c> of an ARFF header: its name, its type, the values a nominal attribute may
/// take (in declared order: a sparse row that leaves the attribute out has the first), and a date's
/// declared format (Java's SimpleDateFormat; kept as written, the values stay text).
/// </summary>
public sealed class ArffAttribute
{
    public ArffAttribute(string name, ArffType type, IReadOnlyList<string>? nominalValues = null, string? dateFormat = null)
    {
        Name = name;
        Type = type;
        NominalValues = nominalValues ?? [];
        DateFormat = dateFormat;
        _allowed = type == ArffType.Nominal ? new HashSet<string>(NominalValues, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>() : null;
    }

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? _allowed;

    public string Name { get; }
    public ArffType Type { get; }
    public IReadOnlyList<string> NominalValues { get; }
    public string? DateFormat { get; }

    /// <summary>Whether <paramref name="value"/> is one of a nominal attribute's declared values (exact, as Weka compares them).</summary>
    public bool Allows(ReadOnlySpan<char> value) => _allowed is { } allowed && allowed.Contains(value);

    public string Describe() => Type switch
    {
        ArffType.Nominal => $"nominal ({NominalValues.Count} values)",
        ArffType.Date => DateFormat is null ? "date" : $"date \"{DateFormat}\"",
        _ => Type.ToString().ToLowerInvariant(),
    };
}
