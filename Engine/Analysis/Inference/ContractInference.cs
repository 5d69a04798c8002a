using System.Text.Json.Nodes;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis;

namespace RadMah.Engine.Analysis.Inference;

/// <summary>
/// The inferred schema of a profiled table as a mock contract: the same columns, in the same
/// order, with generators that reproduce each column's type, range and distribution from summary
/// statistics alone. Numbers, dates and timestamps follow their 101 percentiles; categories keep
/// their values and frequencies; booleans their rate of true; identifiers their prefix and width
/// (unique keys as sequences, repeating ones as foreign keys); phone numbers and postal codes
/// their value shapes; names, e-mail addresses and free text are drawn from neutral vocabularies.
/// No individual value of the data is copied except category labels. With the table's dependence
/// (<see cref="LookAlikeDependence"/>), the columns a copula can model (numbers, dates, categories)
/// are drawn together by it, so their pair trends hold as well as their shapes.
/// </summary>
public static class ContractInference
{
    public const string Domain = "inferred";

    public static MockContract Infer(DatasetProfile profile, long rows, long seed, LookAlikeDependence? dependence = null)
    {
        var columns = profile.Columns.Select((c, i) => dependence is { } d
            ? d.Codecs[i].OutputSpec()
            : WithNullsAndFormat(Column(c, profile.Table.Rows), c)).ToList();
        var description = $"look-alike of {profile.Dataset.Name} ({profile.Dataset.ContentHash})";
        if (description.Length > MockContract.MaxDescriptionLength) description = description[..MockContract.MaxDescriptionLength];
        var contract = new MockContract(description, Domain, rows, seed, columns) { Copula = dependence?.Copula.ToJson() };
        contract.Validate();
        return contract;
    }

    /// <summary>
    /// The column's nulls at their rate (empty columns stay a single empty value), and its dates in
    /// the spelling most of the real values use when that is not ISO 8601.
    /// </summary>
    private static ColumnSpec WithNullsAndFormat(ColumnSpec spec, ColumnProfile c)
    {
        var nulls = c.Nulls - (spec.Type == ColumnType.String && spec.Generator == "categorical" ? WordsReadAsMissing(c).Sum(w => w.Count) : 0);
        var nullRate = c.Count == 0 ? 0 : (double)nulls / c.Count;
        if (nullRate > 0 && c.SemanticType != SemanticTypes.Empty) spec.Parameters["null_rate"] = Math.Round(nullRate, 6);
        if (spec.Type is ColumnType.Date or ColumnType.Timestamp && DateFormatOf(c.Temporal) is { } format) spec.Parameters["format"] = format;
        return spec;
    }

    /// <summary>
    /// Words a category column holds that profiling counted as missing but pandas reads as values
    /// ("none" in a yes/none column): they are values of the column, with their counts.
    /// </summary>
    private static IReadOnlyList<ValueCount> WordsReadAsMissing(ColumnProfile c) =>
        c.SemanticType is SemanticTypes.Categorical or SemanticTypes.CountryCode or SemanticTypes.Boolean && c.MissingSpellings is { } spellings
            ? [.. spellings.Where(s => !ValueClassifier.IsMissingInPandas(s.Key)).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new ValueCount(s.Key, s.Value, c.Count == 0 ? 0 : Math.Round((double)s.Value / c.Count, 6)))]
            : [];

    /// <summary>The format most values of a text date column are written in, in .NET notation; null for typed columns and ISO 8601.</summary>
    public static string? DateFormatOf(TemporalSummary? temporal)
    {
        if (temporal is not { Formats.Count: > 0 }) return null;
        var format = temporal.Formats.MaxBy(f => f.Share)!.Format;
        return format is "date" or "timestamp" or "yyyy-MM-dd" or "yyyy-MM-dd'T'HH:mm:ss'Z'" ? null : format;
    }

    private static ColumnSpec Make(string name, ColumnType type, string generator, JsonObject parameters) => new(name, type, generator, parameters);

    private static JsonArray Numbers(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);

    /// <summary>The generator of one profiled column, with its nulls and date format (a fresh spec the caller may change).</summary>
    public static ColumnSpec ColumnFor(ColumnProfile column, long tableRows) => WithNullsAndFormat(Column(column, tableRows), column);

    private static ColumnSpec Column(ColumnProfile c, long tableRows)
    {
        var name = c.Name;
        switch (c.SemanticType)
        {
            case SemanticTypes.Boolean when WordsReadAsMissing(c).Count > 0:
                // yes/none: "none" is the other value, not a null, so this is a category column.
                var words = c.TopValues.Concat(WordsReadAsMissing(c)).ToList();
                return Make(name, ColumnType.String, "categorical", new() { ["values"] = Strings(words.Select(v => v.Value)), ["weights"] = Numbers(words.Select(v => (double)v.Count)) });
            case SemanticTypes.Boolean:
                return Make(name, ColumnType.Boolean, "boolean", new() { ["p_true"] = c.Boolean?.TrueRate ?? 0.5 });
            case SemanticTypes.Integer when c.Numeric is { } n:
                return Make(name, ColumnType.Int64, "quantile_integer", new() { ["percentiles"] = Numbers(n.Percentiles.Select(v => Math.Round(v))) });
            case SemanticTypes.Decimal or SemanticTypes.Currency or SemanticTypes.Latitude or SemanticTypes.Longitude when c.Numeric is { } n:
                var scale = Math.Clamp(n.Scale, 0, 6);
                return Make(name, ColumnType.Decimal, "quantile_decimal", new() { ["percentiles"] = Numbers(n.Percentiles), ["scale"] = scale });
            case SemanticTypes.Date when c.Temporal is { } t:
                return Make(name, ColumnType.Date, "quantile_date", new() { ["percentiles"] = Numbers(t.Percentiles.Select(s => Math.Floor(s / 86_400))) });
            case SemanticTypes.DateTime when c.Temporal is { } t:
                return Make(name, ColumnType.Timestamp, "quantile_timestamp", new() { ["percentiles"] = Numbers(t.Percentiles.Select(v => Math.Round(v))) });
            case SemanticTypes.Categorical or SemanticTypes.CountryCode:
                var categories = (c.Categories is { Count: > 0 } all ? all : c.TopValues).Concat(WordsReadAsMissing(c)).ToList();
                return Make(name, ColumnType.String, "categorical", new()
                {
                    ["values"] = Strings(categories.Select(v => v.Value)),
                    ["weights"] = Numbers(categories.Select(v => (double)v.Count)),
                });
            case SemanticTypes.Email:
                return Make(name, ColumnType.String, "email", new()
                {
                    ["domains"] = Strings(["example.com", "example.org", "example.net"]),
                    ["domain_weights"] = Numbers([60, 25, 15]),
                });
            case SemanticTypes.IpAddress:
                return Make(name, ColumnType.String, "ip_address", new());
            case SemanticTypes.Url:
                return Make(name, ColumnType.String, "pattern", new() { ["patterns"] = Strings(["https://www.example.com/aaaaaa/9999"]), ["weights"] = Numbers([1]) });
            case SemanticTypes.Phone or SemanticTypes.PostalCode when c.Patterns is { Count: > 0 } shapes:
                return Make(name, ColumnType.String, "pattern", new()
                {
                    ["patterns"] = Strings(shapes.Select(s => s.Value)),
                    ["weights"] = Numbers(shapes.Select(s => (double)s.Count)),
                });
            case SemanticTypes.Phone:
                return Make(name, ColumnType.String, "pattern", new() { ["patterns"] = Strings(["+1 999 999 9999"]), ["weights"] = Numbers([1]) });
            case SemanticTypes.PostalCode:
                return Make(name, ColumnType.String, "pattern", new() { ["patterns"] = Strings(["99999"]), ["weights"] = Numbers([1]) });
            case SemanticTypes.Identifier:
                return Identifier(c, tableRows);
            case SemanticTypes.PersonName:
                var normalized = ColumnNameHints.Normalize(name);
                var part = normalized.Contains("first") || normalized.Contains("given") || normalized.Contains("fore") ? "first"
                    : normalized.Contains("last") || normalized.Contains("sur") || normalized.Contains("family") ? "last" : "full";
                return Make(name, ColumnType.String, "person_name", new() { ["part"] = part });
            case SemanticTypes.FreeText:
                var length = c.Length ?? new LengthSummary(5, 60, 30);
                var minWords = Math.Clamp((int)Math.Round(length.Min / 6.0), 1, 500);
                var maxWords = Math.Clamp((int)Math.Round(length.Max / 6.0), minWords, 500);
                return Make(name, ColumnType.String, "text", new() { ["min_words"] = minWords, ["max_words"] = maxWords });
            default:
                // Empty columns (and types without their statistics) become a single empty category.
                return Make(name, ColumnType.String, "categorical", new() { ["values"] = Strings([""]), ["weights"] = Numbers([1]) });
        }
    }

    /// <summary>
    /// Identifiers: UUIDs stay UUIDs, card numbers stay Luhn-valid card numbers; prefix + digits ids
    /// (CUS-00042, 1001) become sequences when unique and foreign keys into as many ids when they
    /// repeat; anything else keeps its value shapes.
    /// </summary>
    private static ColumnSpec Identifier(ColumnProfile c, long tableRows)
    {
        var name = c.Name;
        if (c.Shapes is { } shapes && shapes.GetValueOrDefault("uuid") >= 0.95) return Make(name, ColumnType.String, "uuid", new());
        if (c.Pii.Contains("card_number"))
            return Make(name, ColumnType.String, "card_number", new() { ["prefixes"] = Strings(["4", "51", "52", "53", "54", "55"]), ["weights"] = Numbers([60, 8, 8, 8, 8, 8]) });
        var examples = c.TopValues.Select(v => v.Value).Where(v => v.Length > 0).ToList();
        if (examples.Count > 0 && PrefixAndDigits(examples) is { } shape)
        {
            var unique = c.Nulls == 0 && c.Distinct.Count >= tableRows * 0.98;
            if (unique) return Make(name, ColumnType.String, "sequence", new() { ["prefix"] = shape.Prefix, ["width"] = shape.Width });
            return Make(name, ColumnType.String, "foreign_key", new()
            {
                ["prefix"] = shape.Prefix,
                ["width"] = shape.Width,
                ["cardinality"] = Math.Max(1, c.Distinct.Count),
                ["skew"] = 1.0,
            });
        }
        if (c.Patterns is { Count: > 0 } patterns)
            return Make(name, ColumnType.String, "pattern", new()
            {
                ["patterns"] = Strings(patterns.Select(p => p.Value)),
                ["weights"] = Numbers(patterns.Select(p => (double)p.Count)),
            });
        return Make(name, ColumnType.String, "uuid", new());
    }

    /// <summary>The literal prefix all examples share and the digit count after it, when every example is prefix + digits.</summary>
    private static (string Prefix, int Width)? PrefixAndDigits(IReadOnlyList<string> examples)
    {
        string? prefix = null;
        var width = 0;
        foreach (var example in examples)
        {
            var digitsFrom = example.Length;
            while (digitsFrom > 0 && char.IsAsciiDigit(example[digitsFrom - 1])) digitsFrom--;
            var digits = example.Length - digitsFrom;
            if (digits == 0 || digits > 18) return null;
            var head = example[..digitsFrom];
            if (head.Any(char.IsAsciiDigit)) return null;
            if (prefix is null) prefix = head;
            else if (prefix != head) return null;
            width = Math.Max(width, digits);
        }
        return prefix is null ? null : (prefix, width);
    }
}
