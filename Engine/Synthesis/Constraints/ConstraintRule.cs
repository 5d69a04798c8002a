using System.Globalization;
using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Constraints;

/// <summary>
/// A rule every real row obeys, found by <see cref="ConstraintDetector"/> and kept by sampling
/// (<see cref="ConstrainedModel"/>): rows that break it are drawn again, a bounded number of times,
/// then repaired. Rules name columns; <see cref="Bind"/> resolves them against a model's columns.
/// </summary>
public abstract record ConstraintRule
{
    public abstract string Kind { get; }

    /// <summary>The rule in words, for reports.</summary>
    public abstract string Describe();

    public abstract JsonObject ToJson();

    /// <summary>The rule over tables laid out as a model's <paramref name="columns"/> (its samples).</summary>
    public abstract BoundRule Bind(IReadOnlyList<SampledColumn> columns);

    public static ConstraintRule FromJson(JsonObject json) => json["kind"]?.GetValue<string>() switch
    {
        InequalityRule.Name => new InequalityRule(json["low"]!.GetValue<string>(), json["high"]!.GetValue<string>()),
        SumRule.Name => new SumRule(json["first"]!.GetValue<string>(), json["second"]!.GetValue<string>(), json["total"]!.GetValue<string>(), json["decimals"]!.GetValue<int>()),
        ForbiddenPairsRule.Name => new ForbiddenPairsRule(json["first"]!.GetValue<string>(), json["second"]!.GetValue<string>(),
            json["pairs"]!.AsArray().Select(p => (p![0]!.GetValue<string>(), p[1]!.GetValue<string>())).ToArray(),
            json["given"]!.AsObject().ToDictionary(g => g.Key, g => (IReadOnlyList<(string, long)>)g.Value!.AsArray()
                .Select(c => (c![0]!.GetValue<string>(), c[1]!.GetValue<long>())).ToArray())),
        DeterminesNumberRule.Name => new DeterminesNumberRule(json["first"]!.GetValue<string>(), json["second"]!.GetValue<string>(),
            json["values"]!.AsObject().ToDictionary(v => v.Key, v => v.Value!.GetValue<double>())),
        var other => throw new FormatException($"unknown constraint kind '{other}'."),
    };

    /// <summary>The position of a column the rule names, checked to hold numbers or categories as the rule needs.</summary>
    protected static int IndexOf(IReadOnlyList<SampledColumn> columns, string name, bool categorical)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Name != name) continue;
            if (columns[i].IsCategorical != categorical)
                throw new FormatException($"a {(categorical ? "category" : "number")} constraint names column '{name}', which holds {(categorical ? "numbers" : "categories")}.");
            return i;
        }
        throw new FormatException($"a constraint names column '{name}', which the model does not draw.");
    }
}

/// <summary>A rule resolved to column positions: whether a row obeys it, and how to make it.</summary>
public abstract class BoundRule(ConstraintRule rule)
{
    public ConstraintRule Rule { get; } = rule;

    /// <summary>Rules that transform every row (a sum is computed, not drawn) rather than test it.</summary>
    public virtual bool Transforms => false;

    public abstract bool Holds(IReadOnlyList<TableColumn> table, int row);

    /// <summary>
    /// Makes the row obey the rule by changing as little as the rule allows; <paramref name="rowKey"/>
    /// seeds any draw the repair needs (the same row gets the same repair everywhere).
    /// </summary>
    public abstract void Repair(IReadOnlyList<TableColumn> table, int row, ulong rowKey);

    public long Violations(IReadOnlyList<TableColumn> table)
    {
        long count = 0;
        for (var r = 0; r < table[0].Length; r++)
            if (!Holds(table, r)) count++;
        return count;
    }
}

/// <summary>low ≤ high wherever both are present (a daily minimum and maximum, a start and an end date).</summary>
public sealed record InequalityRule(string Low, string High) : ConstraintRule
{
    public const string Name = "inequality";

    public override string Kind => Name;

    public override string Describe() => $"{Low} ≤ {High}";

    public override JsonObject ToJson() => new() { ["kind"] = Name, ["low"] = Low, ["high"] = High };

    public override BoundRule Bind(IReadOnlyList<SampledColumn> columns) => new Bound(this, IndexOf(columns, Low, false), IndexOf(columns, High, false));

    private sealed class Bound(ConstraintRule rule, int low, int high) : BoundRule(rule)
    {
        public override bool Holds(IReadOnlyList<TableColumn> table, int row)
        {
            var (a, b) = (((NumericColumn)table[low]).Values[row], ((NumericColumn)table[high]).Values[row]);
            return double.IsNaN(a) || double.IsNaN(b) || a <= b;
        }

        public override void Repair(IReadOnlyList<TableColumn> table, int row, ulong rowKey)
        {
            var (a, b) = (((NumericColumn)table[low]).Values, ((NumericColumn)table[high]).Values);
            (a[row], b[row]) = (b[row], a[row]);
        }
    }
}

/// <summary>first + second = total, to the total's decimals: the total is computed from the two, not drawn.</summary>
public sealed record SumRule(string First, string Second, string Total, int Decimals) : ConstraintRule
{
    public const string Name = "sum";

    public override string Kind => Name;

    public override string Describe() => $"{First} + {Second} = {Total}";

    public override JsonObject ToJson() => new() { ["kind"] = Name, ["first"] = First, ["second"] = Second, ["total"] = Total, ["decimals"] = Decimals };

    public override BoundRule Bind(IReadOnlyList<SampledColumn> columns) => new Bound(this, IndexOf(columns, First, false), IndexOf(columns, Second, false), IndexOf(columns, Total, false), Decimals);

    /// <summary>How far a sum written with <paramref name="decimals"/> places may be from the exact one.</summary>
    public static double Tolerance(int decimals, double total) => 0.5 * Math.Pow(10, -decimals) + 1e-9 * Math.Abs(total);

    private sealed class Bound(ConstraintRule rule, int first, int second, int total, int decimals) : BoundRule(rule)
    {
        public override bool Transforms => true;

        public override bool Holds(IReadOnlyList<TableColumn> table, int row)
        {
            var (a, b, c) = (((NumericColumn)table[first]).Values[row], ((NumericColumn)table[second]).Values[row], ((NumericColumn)table[total]).Values[row]);
            if (double.IsNaN(a) || double.IsNaN(b)) return true;
            return !double.IsNaN(c) && Math.Abs(a + b - c) <= Tolerance(decimals, c);
        }

        public override void Repair(IReadOnlyList<TableColumn> table, int row, ulong rowKey)
        {
            var (a, b) = (((NumericColumn)table[first]).Values[row], ((NumericColumn)table[second]).Values[row]);
            if (double.IsNaN(a) || double.IsNaN(b)) return;
            ((NumericColumn)table[total]).Values[row] = Math.Round(a + b, Math.Clamp(decimals, 0, 15), MidpointRounding.ToEven);
        }
    }
}

/// <summary>
/// Combinations of two categories that never occur together although, were the columns unrelated,
/// they would have been seen several times; or, when <see cref="Pairs"/> is empty, one column
/// determining the other (each value of <see cref="First"/> seen with one value of
/// <see cref="Second"/>). <see cref="Given"/> holds the real counts of each second value given a
/// first value. A row drawn with a combination that breaks the rule gets its second value drawn
/// from those counts: the first column's frequencies stay exact (rejecting rows would shift them
/// whenever the copula misses the relation) and the pair's combinations follow the real ones.
/// </summary>
public sealed record ForbiddenPairsRule(string First, string Second, IReadOnlyList<(string First, string Second)> Pairs,
    IReadOnlyDictionary<string, IReadOnlyList<(string Value, long Count)>> Given) : ConstraintRule
{
    public const string Name = "forbidden_pairs";

    public override string Kind => Name;

    /// <summary>One column fixes the other: every first value has one second value.</summary>
    public bool Functional => Pairs.Count == 0;

    public override string Describe() => Functional
        ? $"{First} determines {Second}"
        : string.Create(CultureInfo.InvariantCulture, $"{Pairs.Count} combinations of {First} and {Second} never occur");

    public override JsonObject ToJson() => new()
    {
        ["kind"] = Name,
        ["first"] = First,
        ["second"] = Second,
        ["pairs"] = new JsonArray([.. Pairs.Select(p => (JsonNode)new JsonArray(p.First, p.Second))]),
        ["given"] = new JsonObject(Given.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key,
            (JsonNode?)new JsonArray([.. g.Value.Select(c => (JsonNode)new JsonArray(c.Value, c.Count))])))),
    };

    public override BoundRule Bind(IReadOnlyList<SampledColumn> columns) => new Bound(this, IndexOf(columns, First, true), IndexOf(columns, Second, true));

    private sealed class Bound(ForbiddenPairsRule rule, int first, int second) : BoundRule(rule)
    {
        private readonly HashSet<(string, string)> _forbidden = [.. rule.Pairs];

        public override bool Transforms => true;

        public override bool Holds(IReadOnlyList<TableColumn> table, int row)
        {
            var (a, b) = (((CategoricalColumn)table[first]).ValueAt(row), ((CategoricalColumn)table[second]).ValueAt(row));
            if (a is null || b is null) return true;
            return rule.Functional ? !rule.Given.TryGetValue(a, out var seen) || seen[0].Value == b : !_forbidden.Contains((a, b));
        }

        public override void Repair(IReadOnlyList<TableColumn> table, int row, ulong rowKey)
        {
            if (Holds(table, row)) return;
            var a = ((CategoricalColumn)table[first]).ValueAt(row);
            var target = (CategoricalColumn)table[second];
            if (a is null || !rule.Given.TryGetValue(a, out var seen)) return;
            var total = seen.Sum(c => c.Count);
            var pick = (long)new SplitMix64(rowKey).NextBelow((ulong)total);
            foreach (var (value, count) in seen)
            {
                if ((pick -= count) >= 0) continue;
                var code = Array.IndexOf(target.Categories, value);
                if (code >= 0) target.Codes[row] = code;
                return;
            }
        }
    }
}

/// <summary>
/// A category fixing a number (a country and its numeric code, a product and its list price): every
/// row with a first value has that value's number. The number is set from the category, not drawn.
/// </summary>
public sealed record DeterminesNumberRule(string First, string Second, IReadOnlyDictionary<string, double> Values) : ConstraintRule
{
    public const string Name = "determines_number";

    public override string Kind => Name;

    public override string Describe() => $"{First} determines {Second}";

    public override JsonObject ToJson() => new()
    {
        ["kind"] = Name,
        ["first"] = First,
        ["second"] = Second,
        ["values"] = new JsonObject(Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
    };

    public override BoundRule Bind(IReadOnlyList<SampledColumn> columns) => new Bound(this, IndexOf(columns, First, true), IndexOf(columns, Second, false));

    private sealed class Bound(DeterminesNumberRule rule, int first, int second) : BoundRule(rule)
    {
        public override bool Transforms => true;

        public override bool Holds(IReadOnlyList<TableColumn> table, int row)
        {
            var a = ((CategoricalColumn)table[first]).ValueAt(row);
            var b = ((NumericColumn)table[second]).Values[row];
            return a is null || double.IsNaN(b) || !rule.Values.TryGetValue(a, out var fixedValue) || b == fixedValue;
        }

        public override void Repair(IReadOnlyList<TableColumn> table, int row, ulong rowKey)
        {
            var a = ((CategoricalColumn)table[first]).ValueAt(row);
            var values = ((NumericColumn)table[second]).Values;
            if (a is not null && !double.IsNaN(values[row]) && rule.Values.TryGetValue(a, out var fixedValue)) values[row] = fixedValue;
        }
    }
}
