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
/// falls back to mock's twelve domains. Several tables, separated by ';', each start with their name:
/// <c>customers 1,000: id (id), name (person name); orders 3-12 per customer: id (id), customer_id references customers.id, amount (decimal 5-500)</c>;
/// a child table's key is its parent row's id, so every foreign key resolves. Words it cannot use become warnings that say what was
/// chosen instead; nothing is guessed silently.
/// </summary>
public static partial class ColumnLanguage
{
    public const string Version = "radmah.column-language/1";
    public const string Domain = "fabricated";

    /// <summary>The rows of the (first) table when neither the request nor the description gives them.</summary>
    public const long DefaultRows = 1000;

    /// <summary>
    /// The contract a description compiles to, and the warnings about it. <paramref name="rows"/> is
    /// the request's (0: the description's count, else <see cref="DefaultRows"/>).
    /// </summary>
    public static (MockContract Contract, IReadOnlyList<string> Warnings) Compile(string description, long rows, long seed)
    {
        MockContract.ValidateDescription(description);
        if (rows != 0) MockContract.ValidateRows(rows);
        MockContract.ValidateSeed(seed);
        var warnings = new List<string>();
        var clauses = description.Split(';').Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        if (clauses.Count > 1) return Tables(description, clauses, rows, seed, warnings);
        var colon = description.IndexOf(':', StringComparison.Ordinal);
        if (!description.Contains('(', StringComparison.Ordinal) && colon < 0)
        {
            var compiled = DescriptionCompiler.Compile(description, rows == 0 ? DefaultRows : rows, seed);
            return (compiled.Contract, [.. compiled.Warnings, $"no explicit columns (name (type), …): the '{compiled.Contract.Domain}' domain was used."]);
        }
        var (_, counted, _, _, columns, _) = Table(description, warnings, parentName: null);
        var contract = new MockContract(description, Domain, Rows(rows, counted, warnings), seed, columns);
        contract.Seal();
        return (contract, warnings);
    }

    /// <summary>Several tables: the first, then child tables ("orders 3-12 per customer: …, customer_id references customers.id").</summary>
    private static (MockContract, IReadOnlyList<string>) Tables(string description, List<string> clauses, long rows, long seed, List<string> warnings)
    {
        var (parentName, counted, _, _, parentColumns, _) = Table(clauses[0], warnings, parentName: null);
        if (parentName is null) throw new ContractException("description: with several tables, start each with its name, for example \"customers 1,000: id (id), name (person name); orders 3-12 per customer: …\".");
        var children = new List<RelatedTable>();
        for (var i = 1; i < clauses.Count; i++)
        {
            var (name, _, perParent, parent, columns, references) = Table(clauses[i], warnings, parentName);
            if (name is null || perParent is null)
                throw new ContractException($"description: table {i + 1} needs a name and how many rows each {Singular(parentName)} has, for example \"orders 3-12 per {Singular(parentName)}: …\".");
            if (parent is not null && parent != parentName && parent != Singular(parentName))
                throw new ContractException($"description: {name} is per {parent}; child tables belong to the first table, {parentName}.");
            if (references.Count > 1) throw new ContractException($"description: {name} references {parentName} more than once; one key per child table.");
            var key = references.Count == 1 ? references[0] : (Column: Singular(parentName) + "_id", Table: parentName, Key: (string?)null, Position: 0);
            if (references.Count == 0) warnings.Add($"{name} names no key of {parentName}: {key.Column} references {parentName} was added.");
            if (key.Table != parentName) throw new ContractException($"description: {name}.{key.Column} references {key.Table}; it can reference the first table, {parentName}.");
            // The key is the parent's sequence id: other kinds of ids cannot be recomputed from a row number, so they are replaced, and said so.
            var keyIndex = key.Key is null ? parentColumns.FindIndex(c => c.Generator == "sequence") : parentColumns.FindIndex(c => c.Name == key.Key);
            if (keyIndex < 0 && key.Key is not null) throw new ContractException($"description: {name}.{key.Column} references {parentName}.{key.Key}, which is not a column of {parentName}.");
            if (keyIndex < 0)
            {
                parentColumns.Insert(0, Col.Sequence("id", Prefix(parentName), 8));
                keyIndex = 0;
                warnings.Add($"{parentName} had no id column for {name} to reference: id (a sequence) was added.");
            }
            var keyColumn = parentColumns[keyIndex];
            if (keyColumn.Generator != "sequence")
            {
                parentColumns[keyIndex] = Col.Sequence(keyColumn.Name, Prefix(parentName), 8);
                warnings.Add($"{parentName}.{keyColumn.Name} is referenced by {name}.{key.Column}: it is written as a sequence of ids ({Prefix(parentName)}00000001, …) so every key resolves.");
            }
            var reference = new ColumnSpec(key.Column, ColumnType.String, RelatedTable.ParentKeyGenerator, new()
            {
                ["prefix"] = parentColumns[keyIndex].GetString("prefix"),
                ["width"] = parentColumns[keyIndex].GetInteger("width"),
            });
            columns.Insert(Math.Min(key.Position, columns.Count), reference);
            children.Add(new RelatedTable(name, perParent.Value.Min, perParent.Value.Max, columns));
        }
        var contract = new MockContract(description, Domain, Rows(rows, counted, warnings), seed, parentColumns) { Tables = children };
        contract.Seal();
        return (contract, warnings);
    }

    private static long Rows(long requested, long? counted, List<string> warnings)
    {
        if (requested != 0)
        {
            if (counted is { } c && c != requested) warnings.Add($"the request's rows ({requested:N0}) are used, not the description's {c:N0}.");
            return requested;
        }
        if (counted is { } n)
        {
            MockContract.ValidateRows(n);
            return n;
        }
        return DefaultRows;
    }

    private static string Singular(string name) => name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y" : name.EndsWith('s') ? name[..^1] : name;

    private static string Prefix(string table) => table[..1].ToUpperInvariant();

    /// <summary>One table's clause: "[name [count | min-max per parent]:] columns".</summary>
    private static (string? Name, long? Rows, (int Min, int Max)? PerParent, string? Parent, List<ColumnSpec> Columns, List<(string Column, string Table, string? Key, int Position)> References)
        Table(string clause, List<string> warnings, string? parentName)
    {
        var colon = clause.IndexOf(':', StringComparison.Ordinal);
        string? name = null, parent = null;
        long? rows = null;
        (int, int)? perParent = null;
        if (colon >= 0)
        {
            var head = clause[..colon].Trim().ToLowerInvariant();
            if (HeadPattern().Match(head) is { Success: true } h)
            {
                name = h.Groups["name"].Value;
                if (h.Groups["rows"].Success) rows = long.Parse(h.Groups["rows"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                if (h.Groups["min"].Success)
                {
                    perParent = (int.Parse(h.Groups["min"].Value, CultureInfo.InvariantCulture), int.Parse(h.Groups["max"].Success ? h.Groups["max"].Value : h.Groups["min"].Value, CultureInfo.InvariantCulture));
                    parent = h.Groups["parent"].Value;
                    if (perParent.Value.Item2 < perParent.Value.Item1 || perParent.Value.Item2 > RelatedTable.MaxPerParentLimit)
                        throw new ContractException($"description: {name} {perParent.Value.Item1}-{perParent.Value.Item2} per {parent}: give the least first, at most {RelatedTable.MaxPerParentLimit}.");
                }
                if (name == "columns" || name == "table") name = null;
            }
            else
            {
                warnings.Add($"'{clause[..colon].Trim()}' before the colon was not understood and is ignored.");
            }
        }
        var columns = new List<ColumnSpec>();
        var references = new List<(string, string, string?, int)>();
        foreach (var item in SplitTopLevel(colon >= 0 ? clause[(colon + 1)..] : clause))
        {
            if (ReferencePattern().Match(item.Trim().ToLowerInvariant()) is { Success: true } r)
            {
                if (parentName is null) throw new ContractException($"description: '{item.Trim()}': only a child table (\"orders 3-12 per customer: …\") can reference another table.");
                references.Add((r.Groups["name"].Value, r.Groups["table"].Value, r.Groups["key"].Success ? r.Groups["key"].Value : null, columns.Count));
                continue;
            }
            var column = Column(item.Trim(), columns, warnings);
            if (column is null) continue;
            if (columns.Any(c => c.Name == column.Name))
            {
                warnings.Add($"column '{column.Name}' is given twice: the first is kept.");
                continue;
            }
            columns.Add(column);
        }
        if (columns.Count == 0 && references.Count == 0) throw new ContractException("description: no column could be read; write them as name (type), for example \"id (uuid), age (integer 18-90)\".");
        return (name, rows, perParent, parent, columns, references);
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
        string? format = null;
        parts.RemoveAll(p =>
        {
            var lower = p.ToLowerInvariant();
            if (lower == "unique") { unique = true; return true; }
            if (lower.StartsWith("format ", StringComparison.Ordinal))
            {
                // Kept as written (case matters: MM is months, mm minutes).
                format = p.Trim()[7..].Trim();
                return true;
            }
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
        if (format is not null)
        {
            if (column.Type is ColumnType.Date or ColumnType.Timestamp)
            {
                column.Parameters["format"] = format;
                try
                {
                    column.ValidateCommon();
                }
                catch (ContractException)
                {
                    column.Parameters.Remove("format");
                    warnings.Add($"column '{name}': '{format}' is not a date format (.NET notation such as dd/MM/yyyy); written in ISO 8601.");
                }
            }
            else
            {
                warnings.Add($"column '{name}': only dates and timestamps take a format; 'format {format}' left out.");
            }
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

    [GeneratedRegex(@"^(?<name>[a-z][a-z0-9_]*)(\s+(?<rows>\d[\d,]*)(\s+rows)?|\s+(?<min>\d+)(\s*(-|to)\s*(?<max>\d+))?\s+per\s+(?<parent>[a-z][a-z0-9_]*))?$")]
    private static partial Regex HeadPattern();

    [GeneratedRegex(@"^(?<name>[a-z_][a-z0-9_]*)\s+references\s+(?<table>[a-z][a-z0-9_]*)(\.(?<key>[a-z_][a-z0-9_]*))?$")]
    private static partial Regex ReferencePattern();
}
