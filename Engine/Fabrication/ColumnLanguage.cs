using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Description;
using RadMah.Engine.Mock.Domains;

namespace RadMah.Engine.Fabrication;

/// <summary>
/// fabricate's built-in compiler. A description with explicit columns,
/// <c>columns: id (uuid), name (person name), age (integer 18-90), plan (free 70%, pro 25%, enterprise 5%), signup (date in 2024), email (from name)</c>,
/// becomes a mock contract column by column: types with ranges, category weights, dates, derived
/// e-mails, and the modifiers <c>nullable N%</c> and <c>unique</c>. A description without columns
/// falls back to mock's twelve domains. Words it cannot use become warnings that say what was
/// chosen instead; nothing is guessed silently.
/// </summary>
public static partial class ColumnLanguage
{
    public const string Version = "radmah.column-language/1";
    public const string Domain = "fabricated";

    /// <summary>The contract a description compiles to, and the warnings about it.</summary>
    public static (MockContract Contract, IReadOnlyList<string> Warnings) Compile(string description, long rows, long seed)
    {
        MockContract.ValidateDescription(description);
        MockContract.ValidateRows(rows);
        MockContract.ValidateSeed(seed);
        if (description.Contains(';', StringComparison.Ordinal) || PerParent().IsMatch(description) || description.Contains(" references ", StringComparison.OrdinalIgnoreCase))
            throw new ContractException("description: several tables with keys (\"customers 1,000; orders 3-12 per customer, customer_id references customers.id\") are not supported yet; describe one table.");
        var colon = description.IndexOf(':', StringComparison.Ordinal);
        if (!description.Contains('(', StringComparison.Ordinal) && colon < 0)
        {
            var compiled = DescriptionCompiler.Compile(description, rows, seed);
            return (compiled.Contract, [.. compiled.Warnings, $"no explicit columns (name (type), …): the '{compiled.Contract.Domain}' domain was used."]);
        }
        var list = colon >= 0 ? description[(colon + 1)..] : description;
        var warnings = new List<string>();
        if (colon >= 0 && description[..colon].Trim().ToLowerInvariant() is var head && head is not ("columns" or "table" or "") && !TableHead().IsMatch(head))
            warnings.Add($"'{description[..colon].Trim()}' before the colon was not understood and is ignored.");
        var columns = new List<ColumnSpec>();
        foreach (var item in SplitTopLevel(list))
        {
            var column = Column(item.Trim(), columns, warnings);
            if (column is null) continue;
            if (columns.Any(c => c.Name == column.Name))
            {
                warnings.Add($"column '{column.Name}' is given twice: the first is kept.");
                continue;
            }
            columns.Add(column);
        }
        if (columns.Count == 0) throw new ContractException("description: no column could be read; write them as name (type), for example \"id (uuid), age (integer 18-90)\".");
        var contract = new MockContract(description, Domain, rows, seed, columns);
        contract.Seal();
        return (contract, warnings);
    }

    private static ColumnSpec? Column(string item, List<ColumnSpec> earlier, List<string> warnings)
    {
        var m = ColumnPattern().Match(item);
        if (!m.Success)
        {
            warnings.Add($"'{item}' is not a column (name (type)); left out.");
            return null;
        }
        var name = Regex.Replace(m.Groups["name"].Value.Trim().ToLowerInvariant(), @"\s+", "_");
        var spec = m.Groups["spec"].Success ? m.Groups["spec"].Value.Trim() : name.Replace('_', ' ');
        var parts = SplitTopLevel(spec).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        double nullRate = 0;
        var unique = false;
        parts.RemoveAll(p =>
        {
            var lower = p.ToLowerInvariant();
            if (lower == "unique") { unique = true; return true; }
            if (NullablePattern().Match(lower) is { Success: true } n)
            {
                nullRate = n.Groups["p"].Success ? double.Parse(n.Groups["p"].Value, CultureInfo.InvariantCulture) / 100 : 0.05;
                return true;
            }
            return false;
        });
        // Two or more values, or one with a weight, are categories; one bare word is a type.
        var column = parts.Count > 1 || parts.Count == 1 && WeightedValue().Match(parts[0]).Groups["w"].Success
            ? Categories(name, parts, warnings)
            : Typed(name, parts.Count > 0 ? parts[0] : name, earlier, warnings);
        if (unique && column.Generator is not ("uuid" or "sequence" or "unique_integer" or "email"))
        {
            if (column.Generator == "integer")
                column = new ColumnSpec(name, ColumnType.Int64, "unique_integer", new() { ["min"] = column.GetInteger("min") });
            else
                warnings.Add($"column '{name}': unique is kept for ids, integers and e-mails; {column.Generator} values may repeat.");
        }
        if (nullRate > 0)
        {
            if (nullRate >= 1) { warnings.Add($"column '{name}': a null rate of 100% or more is not a column; 5% is used."); nullRate = 0.05; }
            column.Parameters["null_rate"] = nullRate;
        }
        if (parts.Count > 1 && column.Generator != "categorical") warnings.Add($"column '{name}': {string.Join(", ", parts.Skip(1).Select(p => $"'{p}'"))} not understood; left out.");
        return column;
    }

    private static ColumnSpec Categories(string name, List<string> parts, List<string> warnings)
    {
        var values = new List<(string, double)>();
        foreach (var p in parts)
        {
            var w = WeightedValue().Match(p);
            values.Add((w.Groups["v"].Value.Trim(), w.Groups["w"].Success ? double.Parse(w.Groups["w"].Value, CultureInfo.InvariantCulture) : double.NaN));
        }
        var given = values.Where(v => !double.IsNaN(v.Item2)).Sum(v => v.Item2);
        var missing = values.Count(v => double.IsNaN(v.Item2));
        if (missing > 0)
        {
            var share = Math.Max(0, 100 - given) / missing;
            if (share <= 0) warnings.Add($"column '{name}': the weights given leave nothing for {missing} value(s); they get equal shares of the rest, normalised.");
            values = [.. values.Select(v => double.IsNaN(v.Item2) ? (v.Item1, share > 0 ? share : 1) : v)];
        }
        else if (Math.Abs(given - 100) > 0.5)
        {
            warnings.Add($"column '{name}': the weights add up to {given.ToString(CultureInfo.InvariantCulture)}%, not 100%; they are normalised.");
        }
        return Col.Categorical(name, [.. values]);
    }

    private static ColumnSpec Typed(string name, string type, List<ColumnSpec> earlier, List<string> warnings)
    {
        var t = type.ToLowerInvariant();
        if (t is "uuid" or "guid") return new ColumnSpec(name, ColumnType.String, "uuid", []);
        if (t is "id" or "sequence" or "serial") return Col.Sequence(name, name[..1].ToUpperInvariant(), 8);
        if (t is "person name" or "name" or "full name") return new ColumnSpec(name, ColumnType.String, "person_name", new() { ["part"] = "full" });
        if (t is "first name") return Col.FirstName(name);
        if (t is "last name" or "surname" or "family name") return Col.LastName(name);
        if (t is "ip" or "ip address") return Col.IpAddress(name);
        if (t is "card number" or "credit card") return Col.CardNumber(name);
        if (t is "email" or "e-mail" or "from name" or "email from name")
        {
            // Derived from the row's name columns when it has first and last names; otherwise names are drawn for it.
            var first = earlier.FirstOrDefault(c => c.Generator == "person_name" && c.GetString("part") == "first");
            var last = earlier.FirstOrDefault(c => c.Generator == "person_name" && c.GetString("part") == "last");
            var domains = new[] { ("gmail.com", 38.0), ("outlook.com", 14), ("yahoo.com", 12), ("icloud.com", 11), ("example.com", 13) };
            if (first is not null && last is not null) return Col.Email(name, first.Name, last.Name, domains);
            if (t.Contains("name", StringComparison.Ordinal) && earlier.Any(c => c.Generator == "person_name"))
                warnings.Add($"column '{name}': an e-mail follows a name only from separate first and last name columns (first_name (first name), last_name (last name)); its names are drawn on their own.");
            var spec = Col.Email(name, "x", "x", domains);
            spec.Parameters.Remove("first");
            spec.Parameters.Remove("last");
            return spec;
        }
        if (t is "boolean" or "bool" or "yes/no" or "flag") return Col.Boolean(name, 0.5);
        if (RangePattern().Match(t) is { Success: true } r)
        {
            var low = double.Parse(r.Groups["a"].Value, CultureInfo.InvariantCulture);
            var high = double.Parse(r.Groups["b"].Value, CultureInfo.InvariantCulture);
            if (high < low) { warnings.Add($"column '{name}': range {low}-{high} is backwards; read as {high}-{low}."); (low, high) = (high, low); }
            var kind = r.Groups["t"].Value;
            if (kind is "integer" or "int" or "whole number" or "count")
                return Col.Integer(name, (long)Math.Ceiling(low), (long)Math.Floor(high));
            var scale = kind is "decimal" or "amount" or "price" or "money" ? 2 : Math.Max(Decimals(r.Groups["a"].Value), Decimals(r.Groups["b"].Value));
            return new ColumnSpec(name, ColumnType.Decimal, "quantile_decimal", new() { ["percentiles"] = new JsonArray(low, high), ["scale"] = Math.Max(scale, 0) });
        }
        if (DatePattern().Match(t) is { Success: true } d)
        {
            DateOnly start, end;
            if (d.Groups["year"].Success)
            {
                var year = int.Parse(d.Groups["year"].Value, CultureInfo.InvariantCulture);
                (start, end) = (new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1));
            }
            else
            {
                (start, end) = (DateOnly.ParseExact(d.Groups["from"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.ParseExact(d.Groups["to"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1));
                if (end <= start) { warnings.Add($"column '{name}': the dates are backwards; swapped."); (start, end) = (end.AddDays(-1), start.AddDays(1)); }
            }
            if (d.Groups["kind"].Value == "timestamp")
                return new ColumnSpec(name, ColumnType.Timestamp, "timestamp", new()
                {
                    ["start"] = Mock.Generators.TimeWindow.FormatInstant(start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
                    ["end"] = Mock.Generators.TimeWindow.FormatInstant(end.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
                });
            return Col.Date(name, start, end);
        }
        if (t is "integer" or "int") { warnings.Add($"column '{name}': an integer without a range: 0-1000."); return Col.Integer(name, 0, 1000); }
        if (t is "date") { warnings.Add($"column '{name}': a date without a year: dates in {DescriptionCompiler.DefaultYear}."); return Col.Date(name, new DateOnly(DescriptionCompiler.DefaultYear, 1, 1), new DateOnly(DescriptionCompiler.DefaultYear + 1, 1, 1)); }
        if (t is "decimal" or "number" or "amount" or "price") { warnings.Add($"column '{name}': a {t} without a range: 0-1000 with 2 decimals."); return new ColumnSpec(name, ColumnType.Decimal, "quantile_decimal", new() { ["percentiles"] = new JsonArray(0, 1000), ["scale"] = 2 }); }
        warnings.Add($"column '{name}': '{type}' is not a type this compiler knows (uuid, id, person name, first name, last name, email, integer A-B, decimal A-B, date in YYYY, timestamp in YYYY, boolean, categories with weights); it is written as a sequence of ids.");
        return Col.Sequence(name, name[..1].ToUpperInvariant(), 8);
    }

    private static int Decimals(string number) => number.Contains('.', StringComparison.Ordinal) ? number.Length - number.IndexOf('.', StringComparison.Ordinal) - 1 : 0;

    /// <summary>Splits at commas outside parentheses.</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth = Math.Max(0, depth - 1);
            else if (text[i] == ',' && depth == 0 && !(i > 0 && char.IsAsciiDigit(text[i - 1]) && i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 3])))
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return [.. parts.Where(p => p.Trim().Length > 0)];
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_ ]{0,62}?)\s*(\((?<spec>.*)\))?$")]
    private static partial Regex ColumnPattern();

    [GeneratedRegex(@"^(?<v>.+?)(\s+(?<w>\d+(\.\d+)?)\s*%)?$")]
    private static partial Regex WeightedValue();

    [GeneratedRegex(@"^(nullable|null|nulls|missing)(\s+(?<p>\d+(\.\d+)?)\s*%)?$|^(?<p>\d+(\.\d+)?)\s*%\s*(null|nulls|missing)$")]
    private static partial Regex NullablePattern();

    [GeneratedRegex(@"^(?<t>integer|int|whole number|count|decimal|number|amount|price|money|float)\s+(?<a>-?\d+(\.\d+)?)\s*(-|to|–)\s*(?<b>-?\d+(\.\d+)?)$")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(?<kind>date|timestamp)\s+(in\s+(?<year>\d{4})|(from\s+)?(?<from>\d{4}-\d{2}-\d{2})\s+(to|-)\s+(?<to>\d{4}-\d{2}-\d{2}))$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"\b\d+\s*-\s*\d+\s+per\s+\w+", RegexOptions.IgnoreCase)]
    private static partial Regex PerParent();

    [GeneratedRegex(@"^[a-z_ ]+\s+[\d,]+$")]
    private static partial Regex TableHead();
}
