using System.Globalization;
using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// How the copula models one column. A number with many distinct values is continuous (a fitted
/// <see cref="Marginal"/>, and a second dimension for whether it is null when it can be); a
/// category, a boolean or a number with few distinct values is discrete (<see cref="Intervals"/>
/// over its values, null being one of them).
/// </summary>
public abstract class CopulaColumn(string name)
{
    public string Name { get; } = name;

    /// <summary>The copula dimensions this column uses (one, or two for a nullable continuous column).</summary>
    public abstract int Dimensions { get; }

    public abstract JsonObject ToJson();

    public static CopulaColumn FromJson(JsonObject json) => json["model"]?.GetValue<string>() switch
    {
        "continuous" => ContinuousColumn.Read(json),
        "discrete" => DiscreteColumn.Read(json),
        var other => throw new FormatException($"unknown column model '{other}'."),
    };

    /// <summary>Rounds as the column is written: to <paramref name="decimals"/> places, or not at all.</summary>
    internal static double Round(double value, int? decimals) =>
        decimals is { } d ? Math.Round(value, Math.Clamp(d, 0, 15), MidpointRounding.ToEven) : value;
}

/// <summary>A numeric column with many distinct values.</summary>
public sealed class ContinuousColumn(string name, NumericRole role, int? decimals, Marginal marginal, double nullRate) : CopulaColumn(name)
{
    public NumericRole Role { get; } = role;

    public int? Decimals { get; } = decimals;

    public Marginal Marginal { get; } = marginal;

    /// <summary>Share of training rows where the column is null; when above 0 a second dimension says which rows.</summary>
    public double NullRate { get; } = nullRate;

    public bool Nullable => NullRate > 0;

    /// <summary>Present first, null second: the null dimension's intervals.</summary>
    public Intervals NullIntervals { get; } = new([1 - nullRate, 1]);

    public override int Dimensions => Nullable ? 2 : 1;

    public double Value(double u) => Round(Marginal.InverseCdf(u), Decimals);

    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["model"] = "continuous",
        ["role"] = Role.ToString().ToLowerInvariant(),
        ["decimals"] = Decimals,
        ["null_rate"] = NullRate,
        ["marginal"] = Marginal.ToJson(),
    };

    internal static ContinuousColumn Read(JsonObject json) => new(
        json["name"]!.GetValue<string>(),
        Enum.Parse<NumericRole>(json["role"]!.GetValue<string>(), ignoreCase: true),
        json["decimals"]?.GetValue<int>(),
        Marginal.FromJson(json["marginal"]!.AsObject()),
        json["null_rate"]!.GetValue<double>());
}

/// <summary>
/// A category, a boolean or a number with few distinct values. For a category, null (when it
/// occurs) is one of the values; for a number, as for a continuous column, a second dimension says
/// which rows are null, so that null rows do not bend the number's correlations.
/// </summary>
public sealed class DiscreteColumn : CopulaColumn
{
    public DiscreteColumn(string name, string?[]? categories, double[]? numbers, NumericRole? role, bool isBoolean, Intervals intervals, double nullRate = 0,
        CategoryDiscriminant? discriminant = null) : base(name)
    {
        if ((categories is null) == (numbers is null)) throw new ArgumentException("a discrete column has categories or numbers.");
        if ((categories?.Length ?? numbers!.Length) != intervals.Count) throw new ArgumentException("one interval per value.");
        if (categories is not null && nullRate != 0) throw new ArgumentException("a category's nulls are one of its values.");
        if (discriminant is not null && (categories is null || discriminant.Values != intervals.Count))
            throw new FormatException("a discriminant draws a category, with one weight row per value.");
        Discriminant = discriminant;
        Categories = categories;
        Numbers = numbers;
        Role = role;
        IsBoolean = isBoolean;
        Intervals = intervals;
        NullRate = nullRate;
        NullIntervals = new Intervals([1 - nullRate, 1]);
    }

    /// <summary>Share of null rows of a numeric column (a category's nulls are among its values).</summary>
    public double NullRate { get; }

    public bool Nullable => NullRate > 0;

    /// <summary>Present first, null second: the null dimension's intervals.</summary>
    public Intervals NullIntervals { get; }

    /// <summary>The category of each interval (null for null), or null for a numeric column.</summary>
    public string?[]? Categories { get; }

    /// <summary>The number of each interval (NaN for null), or null for a categorical column.</summary>
    public double[]? Numbers { get; }

    public NumericRole? Role { get; }

    public bool IsBoolean { get; }

    public Intervals Intervals { get; }

    /// <summary>When set, the value is drawn given the other scores (<see cref="CategoryDiscriminant"/>), and the column's own dimension is the uniform that picks it.</summary>
    public CategoryDiscriminant? Discriminant { get; }

    /// <summary>The same column, its value drawn by <paramref name="discriminant"/>.</summary>
    public DiscreteColumn With(CategoryDiscriminant discriminant) => new(Name, Categories, Numbers, Role, IsBoolean, Intervals, NullRate, discriminant);

    public override int Dimensions => Nullable ? 2 : 1;

    public override JsonObject ToJson()
    {
        var json = new JsonObject { ["name"] = Name, ["model"] = "discrete" };
        if (Categories is not null)
        {
            json["kind"] = IsBoolean ? "boolean" : "categorical";
            json["values"] = new JsonArray(Categories.Select(c => (JsonNode?)c).ToArray());
        }
        else
        {
            json["kind"] = "numeric";
            json["role"] = Role!.Value.ToString().ToLowerInvariant();
            json["null_rate"] = NullRate;
            json["values"] = new JsonArray(Numbers!.Select(n => (JsonNode?)n).ToArray());
        }
        json["intervals"] = Intervals.ToJson();
        if (Discriminant is not null) json["discriminant"] = Discriminant.ToJson();
        return json;
    }

    internal static DiscreteColumn Read(JsonObject json)
    {
        var name = json["name"]!.GetValue<string>();
        var values = json["values"]!.AsArray();
        var intervals = Intervals.FromJson(json["intervals"]!.AsArray());
        return json["kind"]!.GetValue<string>() switch
        {
            "numeric" => new DiscreteColumn(name, null, values.Select(v => v!.GetValue<double>()).ToArray(),
                Enum.Parse<NumericRole>(json["role"]!.GetValue<string>(), ignoreCase: true), false, intervals, json["null_rate"]!.GetValue<double>()),
            var kind => new DiscreteColumn(name, values.Select(v => v?.GetValue<string>()).ToArray(), null, null, kind == "boolean", intervals,
                discriminant: json["discriminant"] is JsonObject d ? CategoryDiscriminant.FromJson(d) : null),
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Intervals.Count} values");
}
