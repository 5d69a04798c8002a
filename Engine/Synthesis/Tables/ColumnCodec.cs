using System.Globalization;
using System.Text.Json.Nodes;
using RadMah.Engine.Analysis.Inference;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis.Copula;

namespace RadMah.Engine.Synthesis.Tables;

/// <summary>How a column of a real table is read for a model and written back in synthetic rows.</summary>
public enum CodecKind
{
    /// <summary>A number: integers stay integers, decimals keep their places.</summary>
    Number,
    /// <summary>A calendar date, modelled as days since 1970-01-01 and written in the real column's format.</summary>
    Date,
    /// <summary>An instant, modelled as seconds since 1970-01-01Z and written in the real column's format.</summary>
    DateTime,
    /// <summary>A category (booleans included), written back verbatim.</summary>
    Category,
    /// <summary>Not modelled (identifiers, free text, personal data): regenerated in the real column's pattern, never copied.</summary>
    Regenerated,
}

/// <summary>
/// One column of a table a model is trained on: what it is (decided from analyze's profile of the
/// table), how its values are read, and the output column (a <see cref="ColumnSpec"/>) synthetic rows
/// are written as. Part of the model file, so a model writes its columns the same way wherever it runs.
/// </summary>
public sealed record ColumnCodec(string Name, CodecKind Kind, string SemanticType)
{
    /// <summary>Number columns: integer or decimal.</summary>
    public NumericRole Role { get; init; } = NumericRole.Decimal;

    /// <summary>Decimal places a number is written with.</summary>
    public int Decimals { get; init; }

    /// <summary>
    /// A decimal column whose every training value is a whole number (3750.0: pandas writes a column of integers with nulls so):
    /// drawn as whole numbers, written with <see cref="Decimals"/> places as the table writes them (<see cref="TrainingTable.WithWholeNumbers"/>).
    /// </summary>
    public bool WholeNumbers { get; init; }

    /// <summary>Dates and times: the real column's spelling (.NET notation); null for ISO 8601 or a typed column.</summary>
    public string? DateFormat { get; init; }

    /// <summary>Dates written day first (31/12/2024): ambiguous values are read that way.</summary>
    public bool DayFirst { get; init; }

    /// <summary>A category column read from a typed boolean column, written back as booleans.</summary>
    public bool TypedBoolean { get; init; }

    /// <summary>The share of the real rows where the column is null.</summary>
    public double NullRate { get; init; }

    /// <summary>Regenerated columns: the generator (a mock column) that writes them.</summary>
    public ColumnSpec? Generator { get; init; }

    public bool IsModelled => Kind != CodecKind.Regenerated;

    /// <summary>Most decimal places kept before <see cref="CopulaFitting.PrecisionKept"/>.</summary>
    public const int MaxDecimals = 6;

    /// <summary>
    /// Most decimal places kept from <see cref="CopulaFitting.PrecisionKept"/> on: what a double holds
    /// to the unit in the last place, and what <see cref="Math.Round(double, int)"/> rounds to.
    /// </summary>
    public const int MostDecimals = 15;

    /// <summary>Digits a decimal's unscaled value may take: the engine's decimal(18), one spare for rounding.</summary>
    private const int DecimalDigits = 17;

    /// <summary>
    /// The codec of a profiled column. An all-null column is refused (there is nothing to learn
    /// from it, and dropping it silently would change the table's shape) unless
    /// <paramref name="regenerateEmpty"/> asks for it as an empty column. With <paramref name="precisionKept"/>,
    /// a decimal column keeps its places (<see cref="DecimalsOf"/>).
    /// </summary>
    public static ColumnCodec Of(ColumnProfile column, long tableRows, bool regenerateEmpty = false, bool precisionKept = false)
    {
        var type = column.SemanticType;
        var nullRate = Math.Round(column.NullRate, 6);
        switch (type)
        {
            case SemanticTypes.Empty when regenerateEmpty:
                return new(column.Name, CodecKind.Regenerated, type) { Generator = ContractInference.ColumnFor(column, tableRows) };
            case SemanticTypes.Empty:
                throw new ContractException($"the table cannot be trained on: column '{column.Name}' holds no value (every row is null); drop it or fill it.");
            case SemanticTypes.Integer when column.Numeric is not null:
                return new(column.Name, CodecKind.Number, type) { Role = NumericRole.Integer, NullRate = nullRate };
            case SemanticTypes.Decimal or SemanticTypes.Currency or SemanticTypes.Latitude or SemanticTypes.Longitude when column.Numeric is { } numeric:
                return new(column.Name, CodecKind.Number, type)
                {
                    Role = numeric.IntegerValued && numeric.Scale == 0 ? NumericRole.Integer : NumericRole.Decimal,
                    Decimals = DecimalsOf(numeric, precisionKept),
                    NullRate = nullRate,
                };
            case SemanticTypes.Date or SemanticTypes.DateTime when column.Temporal is { } temporal:
                var format = ContractInference.DateFormatOf(temporal);
                return new(column.Name, type == SemanticTypes.Date ? CodecKind.Date : CodecKind.DateTime, type)
                {
                    DateFormat = format,
                    DayFirst = format is not null && format.StartsWith('d'),
                    NullRate = nullRate,
                };
            case SemanticTypes.Boolean or SemanticTypes.Categorical or SemanticTypes.CountryCode:
                return new(column.Name, CodecKind.Category, type) { TypedBoolean = column.PhysicalType == "bool", NullRate = nullRate };
            default:
                return new(column.Name, CodecKind.Regenerated, type) { Generator = ContractInference.ColumnFor(column, tableRows), NullRate = nullRate };
        }
    }

    /// <summary>
    /// Decimal places a decimal column is written with. Before <see cref="CopulaFitting.PrecisionKept"/>, its most
    /// written decimals up to 6, so values below 0.0000005 (densities, p-values, 1.26e-24) came out as 0. Now its
    /// most places written out in full (an exponent counted), up to <see cref="MostDecimals"/> and to what the
    /// engine's decimal(18) holds beside the column's largest whole part.
    /// </summary>
    public static int DecimalsOf(NumericSummary numeric, bool precisionKept)
    {
        if (!precisionKept) return Math.Clamp(numeric.Scale, 0, MaxDecimals);
        var largest = Math.Max(Math.Abs(numeric.Min), Math.Abs(numeric.Max));
        var wholeDigits = largest < 1 ? 0 : (int)Math.Floor(Math.Log10(largest)) + 1;
        return Math.Clamp(Math.Max(numeric.Scale, numeric.Places), 0, Math.Clamp(DecimalDigits - wholeDigits, 0, MostDecimals));
    }

    /// <summary>The column synthetic rows are written as (CSV and Arrow): drawn by the model's copula, or by its generator.</summary>
    public ColumnSpec OutputSpec()
    {
        if (Generator is not null) return Generator;
        var parameters = new JsonObject();
        if (NullRate > 0) parameters["null_rate"] = NullRate;
        if (DateFormat is not null) parameters["format"] = DateFormat;
        var type = Kind switch
        {
            CodecKind.Number when Role == NumericRole.Integer => ColumnType.Int64,
            CodecKind.Number => ColumnType.Decimal,
            CodecKind.Date => ColumnType.Date,
            CodecKind.DateTime => ColumnType.Timestamp,
            CodecKind.Category when TypedBoolean => ColumnType.Boolean,
            _ => ColumnType.String,
        };
        if (type == ColumnType.Decimal) parameters["scale"] = Decimals;
        return new ColumnSpec(Name, type, MockContract.CopulaGenerator, parameters);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["codec"] = Kind.ToString().ToLowerInvariant(),
            ["semantic_type"] = SemanticType,
            ["null_rate"] = NullRate,
        };
        switch (Kind)
        {
            case CodecKind.Number:
                json["role"] = Role.ToString().ToLowerInvariant();
                json["decimals"] = Decimals;
                // Only where set, so that codecs of earlier revisions keep their bytes.
                if (WholeNumbers) json["whole_numbers"] = true;
                break;
            case CodecKind.Date or CodecKind.DateTime:
                json["date_format"] = DateFormat;
                json["day_first"] = DayFirst;
                break;
            case CodecKind.Category:
                json["typed_boolean"] = TypedBoolean;
                break;
            case CodecKind.Regenerated:
                json["generator"] = new JsonObject
                {
                    ["type"] = Generator!.Type.ToWire(),
                    ["generator"] = Generator.Generator,
                    ["parameters"] = Generator.Parameters.DeepClone(),
                };
                break;
        }
        return json;
    }

    public static ColumnCodec FromJson(JsonObject json)
    {
        var kind = Enum.Parse<CodecKind>(json["codec"]!.GetValue<string>(), ignoreCase: true);
        var codec = new ColumnCodec(json["name"]!.GetValue<string>(), kind, json["semantic_type"]!.GetValue<string>())
        {
            NullRate = json["null_rate"]!.GetValue<double>(),
        };
        if (codec.NullRate is < 0 or >= 1) throw new FormatException($"column '{codec.Name}': null_rate must be in [0, 1).");
        return kind switch
        {
            CodecKind.Number => codec with
            {
                Role = Enum.Parse<NumericRole>(json["role"]!.GetValue<string>(), ignoreCase: true),
                Decimals = Math.Clamp(json["decimals"]!.GetValue<int>(), 0, MostDecimals),
                WholeNumbers = json["whole_numbers"]?.GetValue<bool>() ?? false,
            },
            CodecKind.Date or CodecKind.DateTime => codec with { DateFormat = json["date_format"]?.GetValue<string>(), DayFirst = json["day_first"]!.GetValue<bool>() },
            CodecKind.Category => codec with { TypedBoolean = json["typed_boolean"]!.GetValue<bool>() },
            _ => codec with
            {
                Generator = new ColumnSpec(codec.Name, ColumnTypeNames.Parse(json["generator"]!["type"]!.GetValue<string>()),
                    json["generator"]!["generator"]!.GetValue<string>(), json["generator"]!["parameters"]!.AsObject().DeepClone().AsObject()),
            },
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Kind} ({SemanticType})");
}
