namespace RadMah.Engine.Synthesis.Tables;

/// <summary>
/// One column of a table held in memory to be modelled or scored: numbers (<see cref="NumericColumn"/>)
/// or categories (<see cref="CategoricalColumn"/>). Nulls are kept, in place.
/// </summary>
public abstract class TableColumn(string name)
{
    public string Name { get; } = name;

    public abstract int Length { get; }

    public abstract bool IsNull(int row);

    /// <summary>A column of the values at <paramref name="rows"/>, in that order (a row may come more than once).</summary>
    public abstract TableColumn AtRows(IReadOnlyList<int> rows);

    public int NullCount
    {
        get
        {
            var nulls = 0;
            for (var i = 0; i < Length; i++)
                if (IsNull(i)) nulls++;
            return nulls;
        }
    }
}

/// <summary>What a number stands for, which decides how it is written back.</summary>
public enum NumericRole
{
    Decimal,
    Integer,
    /// <summary>Seconds since 1970-01-01T00:00:00Z.</summary>
    DateTime,
    /// <summary>Days since 1970-01-01.</summary>
    Date,
}

/// <summary>
/// Numbers, NaN for null. Dates and times are numbers too (see <see cref="NumericRole"/>).
/// <see cref="Decimals"/> is the precision values are written with (0 for integers, dates and whole
/// seconds), or null when not known.
/// </summary>
public sealed class NumericColumn(string name, double[] values, NumericRole role = NumericRole.Decimal, int? decimals = null) : TableColumn(name)
{
    public double[] Values { get; } = values;

    public NumericRole Role { get; } = role;

    public int? Decimals { get; } = decimals ?? (role is NumericRole.Decimal ? null : 0);

    public bool IsTemporal => Role is NumericRole.DateTime or NumericRole.Date;

    public override int Length => Values.Length;

    public override bool IsNull(int row) => double.IsNaN(Values[row]);

    public override TableColumn AtRows(IReadOnlyList<int> rows) => new NumericColumn(Name, [.. rows.Select(r => Values[r])], Role, Decimals);
}

/// <summary>Categories as codes into <see cref="Categories"/>; -1 is null.</summary>
public sealed class CategoricalColumn(string name, int[] codes, string[] categories, bool isBoolean = false) : TableColumn(name)
{
    public const int Null = -1;

    public int[] Codes { get; } = codes;

    public string[] Categories { get; } = categories;

    public bool IsBoolean { get; } = isBoolean;

    public override int Length => Codes.Length;

    public override bool IsNull(int row) => Codes[row] == Null;

    public override TableColumn AtRows(IReadOnlyList<int> rows) => new CategoricalColumn(Name, [.. rows.Select(r => Codes[r])], Categories, IsBoolean);

    /// <summary>The value of a row, null for null.</summary>
    public string? ValueAt(int row) => Codes[row] == Null ? null : Categories[Codes[row]];

    /// <summary>A column from values (null for null), categories numbered in order of first appearance.</summary>
    public static CategoricalColumn FromValues(string name, IReadOnlyList<string?> values, bool isBoolean = false)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var categories = new List<string>();
        var codes = new int[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value is null)
            {
                codes[i] = Null;
                continue;
            }
            if (!index.TryGetValue(value, out var code))
            {
                code = categories.Count;
                index[value] = code;
                categories.Add(value);
            }
            codes[i] = code;
        }
        return new CategoricalColumn(name, codes, [.. categories], isBoolean);
    }
}
