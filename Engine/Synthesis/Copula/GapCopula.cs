using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A copula (one, or one per group) that models the higher column of an inequality the table keeps (a start and an end date, a
/// daily minimum and maximum) as its gap above the lower one, and draws it back as lower + gap: the rule holds by construction
/// instead of by rejecting the rows that break it, and the gap follows its own distribution (a stay of 0–90 days stays one).
/// SDV models its declared inequalities the same way; here they are the rules found in the table (<see cref="ConstraintDetector"/>).
/// </summary>
/// <remarks>
/// A column is a gap over one other at most (the one its gap varies least over); a chain (a ≤ b ≤ c) is drawn in order. A pair is
/// modelled as a gap only when the lower column is present wherever the higher one is, so every real value of the higher one is
/// lower + gap; a sampled row whose lower value is null has a null higher value. JSON: <c>{"gaps": [{low, high, decimals}], "model": {…}}</c>.
/// </remarks>
public sealed class GapCopula : IRowSampler
{
    /// <summary>high = low + gap, rounded to <paramref name="Decimals"/> places (the finer of the two columns'; null: not rounded).</summary>
    public sealed record Gap(string Low, string High, int? Decimals)
    {
        public InequalityRule Rule => new(Low, High);
    }

    private readonly (int Low, int High)[] _order;

    public GapCopula(IRowSampler inner, IReadOnlyList<Gap> gaps)
    {
        Inner = inner;
        Gaps = gaps;
        int IndexOf(string name) => inner.Columns.Select(c => c.Name).ToList().IndexOf(name) is var i and >= 0 && !inner.Columns[i].IsCategorical
            ? i : throw new FormatException($"a gap names column '{name}', which the model does not draw as a number.");
        _order = [.. gaps.Select(g => (IndexOf(g.Low), IndexOf(g.High)))];
        if (_order.Select(o => o.High).Distinct().Count() != _order.Length) throw new FormatException("a column is a gap over two others.");
        for (var i = 0; i < _order.Length; i++)
            for (var j = i; j < _order.Length; j++)
                if (_order[j].High == _order[i].Low) throw new FormatException($"gap {i + 1} draws above column '{gaps[i].Low}' before that column is drawn.");
    }

    /// <summary>The model of the table with each gap's higher column replaced by its gap.</summary>
    public IRowSampler Inner { get; }

    /// <summary>The inequalities modelled as gaps, in the order they are drawn.</summary>
    public IReadOnlyList<Gap> Gaps { get; }

    public IReadOnlyList<SampledColumn> Columns => Inner.Columns;

    /// <summary>
    /// The inequalities of <paramref name="rules"/> worth modelling as gaps over <paramref name="table"/>, in drawing order: both
    /// columns numbers, the higher one continuous (more than <see cref="GaussianCopula.DiscreteNumberLimit"/> values) and not computed
    /// by another rule, the lower one present wherever the higher one is.
    /// </summary>
    public static IReadOnlyList<Gap> Choose(IReadOnlyList<TableColumn> table, IReadOnlyList<ConstraintRule> rules)
    {
        var numbers = table.OfType<NumericColumn>().ToDictionary(c => c.Name);
        var computed = rules.Select(r => r switch { SumRule sum => sum.Total, DeterminesNumberRule fixedNumber => fixedNumber.Second, _ => null })
            .Where(n => n is not null).ToHashSet();
        var chosen = new Dictionary<string, (InequalityRule Rule, double Spread)>();
        foreach (var rule in rules.OfType<InequalityRule>())
        {
            if (!numbers.TryGetValue(rule.Low, out var low) || !numbers.TryGetValue(rule.High, out var high) || computed.Contains(rule.High)) continue;
            // A number of few values is drawn from its own values at their shares; as lower + gap it would take sums of two draws.
            if (!GaussianCopula.IsContinuous(high)) continue;
            if (Spread(low.Values, high.Values) is not { } spread) continue;
            if (!chosen.TryGetValue(rule.High, out var best) || spread < best.Spread) chosen[rule.High] = (rule, spread);
        }
        // Drawing order: a pair after the pair that draws its lower column (chains of inequalities cannot loop: a ≤ b ≤ a is equality).
        var pending = chosen.Values.Select(c => c.Rule).OrderBy(r => table.Select(c => c.Name).ToList().IndexOf(r.High)).ToList();
        var order = new List<Gap>();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(p => pending.All(q => q.High != p.Low));
            if (next is null) break;
            var (low, high) = (numbers[next.Low], numbers[next.High]);
            order.Add(new Gap(next.Low, next.High, low.Decimals is { } a && high.Decimals is { } b ? Math.Max(a, b) : null));
            pending.Remove(next);
        }
        return order;
    }

    /// <summary>The variance of high − low where high is present, or null when low is missing on such a row.</summary>
    private static double? Spread(double[] low, double[] high)
    {
        double mean = 0, squares = 0;
        long n = 0;
        for (var r = 0; r < high.Length; r++)
        {
            if (double.IsNaN(high[r])) continue;
            if (double.IsNaN(low[r])) return null;
            var d = high[r] - low[r];
            n++;
            var delta = d - mean;
            mean += delta / n;
            squares += delta * (d - mean);
        }
        return n < 2 ? null : squares / (n - 1);
    }

    /// <summary><paramref name="table"/> with each gap's higher column replaced by high − low (rounded to the gap's decimals).</summary>
    public static TableColumn[] ToGaps(IReadOnlyList<TableColumn> table, IReadOnlyList<Gap> gaps)
    {
        var columns = table.ToArray();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (var gap in gaps)
        {
            var (low, high) = ((NumericColumn)table[index[gap.Low]], (NumericColumn)table[index[gap.High]]);
            var values = new double[high.Length];
            for (var r = 0; r < values.Length; r++)
                values[r] = double.IsNaN(high.Values[r]) ? double.NaN : CopulaColumn.Round(high.Values[r] - low.Values[r], gap.Decimals);
            columns[index[gap.High]] = new NumericColumn(high.Name, values, high.Role, gap.Decimals);
        }
        return columns;
    }

    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey) => FromGaps(Inner.Sample(firstRow, count, seedKey));

    public IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey) => FromGaps(Inner.Redraw(rows, seedKey));

    private IReadOnlyList<TableColumn> FromGaps(IReadOnlyList<TableColumn> drawn)
    {
        for (var g = 0; g < _order.Length; g++)
        {
            var low = ((NumericColumn)drawn[_order[g].Low]).Values;
            var values = ((NumericColumn)drawn[_order[g].High]).Values;
            var decimals = Gaps[g].Decimals;
            for (var r = 0; r < values.Length; r++)
                values[r] = double.IsNaN(low[r]) || double.IsNaN(values[r]) ? double.NaN : CopulaColumn.Round(low[r] + values[r], decimals);
        }
        return drawn;
    }

    public JsonObject ToJson() => new()
    {
        ["gaps"] = new JsonArray([.. Gaps.Select(g => (JsonNode)new JsonObject { ["low"] = g.Low, ["high"] = g.High, ["decimals"] = g.Decimals })]),
        ["model"] = Inner.ToJson(),
    };

    public static bool HasGaps(JsonObject json) => json.ContainsKey("gaps");

    public static GapCopula FromJson(JsonObject json, Func<JsonObject, IRowSampler> readInner) => new(readInner(json["model"]!.AsObject()),
        [.. json["gaps"]!.AsArray().Select(g => new Gap(g!["low"]!.GetValue<string>(), g["high"]!.GetValue<string>(), g["decimals"]?.GetValue<int>()))]);
}
