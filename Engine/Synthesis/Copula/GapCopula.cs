using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A copula (one, or one per group) that models a column the table keeps above others (an end date after a start date, a day's
/// high above its open, close and low) as its gap above the largest of them, and draws it back as that largest + gap: the
/// inequalities hold by construction instead of by rejecting the rows that break them, and the gap follows its own distribution
/// (a stay of 0–60 days stays one; the upper shadow of a day's prices stays one). SDV models a declared inequality this way;
/// here they are the rules found in the table (<see cref="ConstraintDetector"/>).
/// </summary>
/// <remarks>
/// The inequalities form a partial order, so the gaps are drawn in an order where every lower column comes before the columns
/// above it (a ≤ b ≤ c: b, then c). A lower column joins a gap only when it is present wherever the higher one is, so every real
/// value of the higher one is the largest of its lower ones + gap; a sampled row with a null among them has a null higher value.
/// Only the inequalities a copula without gaps breaks on more than <see cref="BrokenShare"/> of its rows become gaps (<see cref="Needed"/>).
/// JSON: <c>{"gaps": [{lows, high, decimals}], "model": {…}}</c>.
/// </remarks>
public sealed class GapCopula : IRowSampler
{
    /// <summary>
    /// high = max(lows) + gap, rounded to <paramref name="Decimals"/> places (the finest of the columns'; null: not rounded). With
    /// <paramref name="HighMarginal"/> (the higher column's own distribution in training, from revision 9), a sampled block's higher
    /// values are then moved, in their order, onto that distribution (<see cref="OntoMarginal"/>).
    /// </summary>
    public sealed record Gap(IReadOnlyList<string> Lows, string High, int? Decimals, Marginal? HighMarginal = null)
    {
        public string Describe() => Lows.Count == 1 ? $"{High} = {Lows[0]} + gap" : $"{High} = max({string.Join(", ", Lows)}) + gap";
    }

    private readonly (int[] Lows, int High)[] _order;

    public GapCopula(IRowSampler inner, IReadOnlyList<Gap> gaps)
    {
        Inner = inner;
        Gaps = gaps;
        var names = inner.Columns.Select(c => c.Name).ToList();
        int IndexOf(string name) => names.IndexOf(name) is var i and >= 0 && !inner.Columns[i].IsCategorical
            ? i : throw new FormatException($"a gap names column '{name}', which the model does not draw as a number.");
        _order = [.. gaps.Select(g => g.Lows.Count > 0
            ? (g.Lows.Select(IndexOf).ToArray(), IndexOf(g.High))
            : throw new FormatException($"the gap of column '{g.High}' names no lower column."))];
        if (_order.Select(o => o.High).Distinct().Count() != _order.Length) throw new FormatException("a column is drawn as a gap twice.");
        for (var i = 0; i < _order.Length; i++)
            for (var j = i; j < _order.Length; j++)
                if (_order[i].Lows.Contains(_order[j].High))
                    throw new FormatException($"the gap of column '{gaps[i].High}' is drawn above column '{gaps[j].High}' before that column is drawn.");
    }

    /// <summary>The model of the table with each gap's higher column replaced by its gap.</summary>
    public IRowSampler Inner { get; }

    /// <summary>The model under <paramref name="sampler"/>'s gaps, if it has any (a copula per group, say); otherwise the sampler itself.</summary>
    public static IRowSampler Under(IRowSampler sampler) => sampler is GapCopula gaps ? gaps.Inner : sampler;

    /// <summary>The columns drawn as gaps, in the order they are drawn.</summary>
    public IReadOnlyList<Gap> Gaps { get; }

    public IReadOnlyList<SampledColumn> Columns => Inner.Columns;

    /// <summary>
    /// The gaps the inequalities of <paramref name="rules"/> give over <paramref name="table"/>, in drawing order: a higher column
    /// that the copula models as continuous (<see cref="GaussianCopula.IsContinuous"/>) and not computed by another rule,
    /// above its lower columns that are present wherever it is.
    /// </summary>
    public static IReadOnlyList<Gap> Choose(IReadOnlyList<TableColumn> table, IReadOnlyList<ConstraintRule> rules, bool measurementsContinuous = false)
    {
        var numbers = table.OfType<NumericColumn>().ToDictionary(c => c.Name);
        var computed = rules.Select(r => r switch { SumRule sum => sum.Total, DeterminesNumberRule fixedNumber => fixedNumber.Second, _ => null })
            .Where(n => n is not null).ToHashSet();
        var lowsOf = new Dictionary<string, List<string>>();
        foreach (var rule in rules.OfType<InequalityRule>())
        {
            if (!numbers.TryGetValue(rule.Low, out var low) || !numbers.TryGetValue(rule.High, out var high) || computed.Contains(rule.High)) continue;
            // A number of few values is drawn from its own values at their shares; as lower + gap it would take sums of two draws.
            if (!GaussianCopula.IsContinuous(high, measurementsContinuous) || !PresentWherever(low.Values, high.Values)) continue;
            (lowsOf.TryGetValue(rule.High, out var lows) ? lows : lowsOf[rule.High] = []).Add(rule.Low);
        }
        var position = table.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var pending = lowsOf.OrderBy(g => position[g.Key]).ToList();
        var order = new List<Gap>();
        while (pending.Count > 0)
        {
            // Next: the first whose lower columns are all drawn (or drawn as they are); the order is partial, so one always is.
            var next = pending.FindIndex(p => p.Value.All(low => pending.All(q => q.Key != low)));
            if (next < 0) break;
            var (high, lows) = (pending[next].Key, pending[next].Value.OrderBy(l => position[l]).ToArray());
            var decimals = lows.Append(high).Select(n => numbers[n].Decimals).ToArray();
            order.Add(new Gap(lows, high, decimals.All(d => d is not null) ? decimals.Max() : null));
            pending.RemoveAt(next);
        }
        return order;
    }

    /// <summary>The most training rows a trial copula is fitted to, and the rows it draws, to see which inequalities it breaks.</summary>
    public const int TrialRows = 20_000;

    /// <summary>
    /// The share of a trial copula's rows above which an inequality is drawn as a gap. A copula that keeps an inequality on its own
    /// (a day's low and high, correlated 0.95) keeps each column's own marginal, exactly, and the few rows that break it are drawn
    /// again; as a gap the higher column would be a sum the copula only approximates.
    /// </summary>
    public const double BrokenShare = 0.02;

    /// <summary>
    /// The gaps of <paramref name="candidates"/> whose inequalities a copula without gaps breaks on more than <see cref="BrokenShare"/>
    /// of its rows: <paramref name="fit"/> (the family's own fit, without gaps) on at most <see cref="TrialRows"/> evenly spaced training
    /// rows, then as many rows drawn from it.
    /// </summary>
    public static IReadOnlyList<Gap> Needed(IReadOnlyList<Gap> candidates, IReadOnlyList<TableColumn> training, Func<IReadOnlyList<TableColumn>, IRowSampler> fit, long seed)
    {
        var rows = training[0].Length;
        var sample = rows <= TrialRows ? training : [.. training.Select(c => c.AtRows([.. Enumerable.Range(0, TrialRows).Select(i => (int)((long)i * rows / TrialRows))]))];
        var trial = fit(sample);
        var drawn = trial.Sample(0, TrialRows, SplitMix64.SeedKey(unchecked((ulong)seed) ^ TrialSalt));
        var names = trial.Columns.Select(c => c.Name).ToList();
        return [.. candidates.Where(gap =>
        {
            var high = ((NumericColumn)drawn[names.IndexOf(gap.High)]).Values;
            var lows = gap.Lows.Select(l => ((NumericColumn)drawn[names.IndexOf(l)]).Values).ToArray();
            long present = 0, broken = 0;
            for (var r = 0; r < high.Length; r++)
            {
                var largest = Largest(lows, r);
                if (double.IsNaN(high[r]) || double.IsNaN(largest)) continue;
                present++;
                if (high[r] < largest) broken++;
            }
            return broken > BrokenShare * present;
        })];
    }

    private const ulong TrialSalt = 0x7472_6961_6C00_0000UL;

    private static bool PresentWherever(double[] low, double[] high)
    {
        for (var r = 0; r < high.Length; r++)
            if (!double.IsNaN(high[r]) && double.IsNaN(low[r])) return false;
        return true;
    }

    /// <summary><paramref name="table"/> with each gap's higher column replaced by high − max(lows) (rounded to the gap's decimals).</summary>
    public static TableColumn[] ToGaps(IReadOnlyList<TableColumn> table, IReadOnlyList<Gap> gaps)
    {
        var columns = table.ToArray();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (var gap in gaps)
        {
            var high = (NumericColumn)table[index[gap.High]];
            var lows = gap.Lows.Select(l => ((NumericColumn)table[index[l]]).Values).ToArray();
            var values = new double[high.Length];
            for (var r = 0; r < values.Length; r++)
                values[r] = double.IsNaN(high.Values[r]) ? double.NaN : CopulaColumn.Round(high.Values[r] - Largest(lows, r), gap.Decimals);
            columns[index[gap.High]] = new NumericColumn(high.Name, values, high.Role, gap.Decimals);
        }
        return columns;
    }

    /// <summary><paramref name="gaps"/> with each higher column's own distribution in <paramref name="table"/> (<see cref="Gap.HighMarginal"/>).</summary>
    public static IReadOnlyList<Gap> WithHighMarginals(IReadOnlyList<Gap> gaps, IReadOnlyList<TableColumn> table) =>
        [.. gaps.Select(g =>
        {
            var present = ((NumericColumn)table.First(c => c.Name == g.High)).Values.Where(v => !double.IsNaN(v)).ToArray();
            Array.Sort(present);
            return g with { HighMarginal = Marginal.Fit(present, midpointQuantiles: true) };
        })];

    /// <summary>The largest of the columns' values at row <paramref name="r"/>; NaN if any is null.</summary>
    private static double Largest(double[][] columns, int r)
    {
        var largest = double.NegativeInfinity;
        foreach (var column in columns)
        {
            if (double.IsNaN(column[r])) return double.NaN;
            largest = Math.Max(largest, column[r]);
        }
        return largest;
    }

    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey) => FromGaps(Inner.Sample(firstRow, count, seedKey), block: true);

    /// <summary>Rows drawn one by one (to replace rows that broke a rule) are no block: their higher values stay largest + gap.</summary>
    public IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey) => FromGaps(Inner.Redraw(rows, seedKey), block: false);

    public IReadOnlyList<TableColumn> RedrawInBlock(long firstRow, int count, ulong seedKey, IReadOnlyList<int> positions, ulong redrawKey) =>
        FromGaps(Inner.RedrawInBlock(firstRow, count, seedKey, positions, redrawKey), block: false);

    public IReadOnlyList<TableColumn>? SampleAgain(long firstRow, int count, ulong seedKey, IReadOnlySet<int> fresh, int attempt, BlockMemo memo) =>
        Inner.SampleAgain(firstRow, count, seedKey, fresh, attempt, memo) is { } drawn ? FromGaps(drawn, block: true) : null;

    private IReadOnlyList<TableColumn> FromGaps(IReadOnlyList<TableColumn> drawn, bool block)
    {
        for (var g = 0; g < _order.Length; g++)
        {
            var lows = _order[g].Lows.Select(l => ((NumericColumn)drawn[l]).Values).ToArray();
            var values = ((NumericColumn)drawn[_order[g].High]).Values;
            var decimals = Gaps[g].Decimals;
            for (var r = 0; r < values.Length; r++)
                values[r] = double.IsNaN(values[r]) ? double.NaN : CopulaColumn.Round(Largest(lows, r) + values[r], decimals);
            if (block && Gaps[g].HighMarginal is { } marginal) OntoMarginal(marginal, values, lows, decimals);
        }
        return drawn;
    }

    /// <summary>
    /// Moves a block's higher values onto the higher column's own distribution, keeping their order: the k-th smallest of the m
    /// present values becomes the marginal's value at (k + ½) / m (ties in row order), unless that falls below the row's largest
    /// lower value, where it stays at that value (the gap 0). A sum of a drawn lower value and a drawn gap only approximates the
    /// higher column's distribution (a day's high scored a column shape of 0.86 on 51 rows of daily prices); the order keeps which rows are
    /// high, and so the dependence, and the floor keeps every rule.
    /// </summary>
    private static void OntoMarginal(Marginal marginal, double[] values, double[][] lows, int? decimals)
    {
        var present = new (double Value, int Row)[values.Length];
        var m = 0;
        for (var r = 0; r < values.Length; r++)
            if (!double.IsNaN(values[r])) present[m++] = (values[r], r);
        if (m < 2) return;
        // By value, then row: the same order on every machine.
        Array.Sort(present, 0, m);
        for (var k = 0; k < m; k++)
        {
            var r = present[k].Row;
            values[r] = Math.Max(CopulaColumn.Round(marginal.InverseCdf((k + 0.5) / m), decimals), Largest(lows, r));
        }
    }

    public JsonObject ToJson() => new()
    {
        ["gaps"] = new JsonArray([.. Gaps.Select(g =>
        {
            var gap = new JsonObject
            {
                ["lows"] = new JsonArray([.. g.Lows.Select(l => (JsonNode)l)]),
                ["high"] = g.High,
                ["decimals"] = g.Decimals,
            };
            // Only from revision 9, so that models of earlier revisions keep their bytes.
            if (g.HighMarginal is { } marginal) gap["high_marginal"] = marginal.ToJson();
            return (JsonNode)gap;
        })]),
        ["model"] = Inner.ToJson(),
    };

    public static bool HasGaps(JsonObject json) => json.ContainsKey("gaps");

    public static GapCopula FromJson(JsonObject json, Func<JsonObject, IRowSampler> readInner) => new(readInner(json["model"]!.AsObject()),
        [.. json["gaps"]!.AsArray().Select(g => new Gap([.. g!["lows"]!.AsArray().Select(l => l!.GetValue<string>())], g["high"]!.GetValue<string>(),
            g["decimals"]?.GetValue<int>(), g["high_marginal"] is JsonObject marginal ? Marginal.FromJson(marginal) : null))]);
}
