using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Constraints;

/// <summary>
/// A model whose rows keep the table's rules: sums are computed from their terms, a category pair
/// that never occurs gets its second value from the real counts given the first; rows that break
/// another rule (an inequality) are drawn again, together, from streams of their own, up to
/// <see cref="MaxRedraws"/> times, and repaired if they still do. Every step depends only on the seed
/// and the row, so output stays byte-identical across runs, threads and machines. A
/// <see cref="Guard"/> redraws copies of training rows the same way. JSON: the model's, with its
/// rules under "constraints" (a guard is measured for each job, not stored).
/// </summary>
public sealed class ConstrainedModel
{
    /// <summary>Draws of one row at most before it is repaired (bounded reject-sampling).</summary>
    public const int MaxRedraws = 16;

    /// <summary>Draws of a copy within its block's strata (<see cref="IRowSampler.SampleAgain"/>) before it is drawn on its own.</summary>
    public const int FreshAttempts = 8;

    private readonly BoundRule[] _transforms;
    private readonly BoundRule[] _tests;

    public ConstrainedModel(IRowSampler sampler, IReadOnlyList<ConstraintRule> rules, bool breachesInGroup = false)
    {
        Sampler = sampler;
        Rules = rules;
        BreachesInGroup = breachesInGroup;
        var bound = rules.Select(r => r.Bind(sampler.Columns)).ToArray();
        _transforms = bound.Where(b => b.Transforms).ToArray();
        _tests = bound.Where(b => !b.Transforms).ToArray();
    }

    public IRowSampler Sampler { get; }

    /// <summary>
    /// Whether a row that breaks a rule is drawn again from the part of its block it was drawn from (<see cref="IRowSampler.RedrawInBlock"/>:
    /// its group, for a copula per group) rather than from the whole model (<see cref="Copula.CopulaFitting.BreachesInGroup"/> on;
    /// <c>"breaches_in_group": true</c> in the JSON). Drawn from the whole model, a breach is replaced by a row of any group, so groups
    /// whose rows break rules more often lose share: a copula per digit of 64 pixel columns, 49 rules, lost 0.07 of the digit's KS complement.
    /// </summary>
    public bool BreachesInGroup { get; }

    /// <summary>The sampler when it is one Gaussian copula (not one per group, nor a neural model).</summary>
    public GaussianCopula? Copula => Sampler as GaussianCopula;

    public IReadOnlyList<ConstraintRule> Rules { get; }

    /// <summary>Each rule bound to a table laid out as the model's columns (a synthetic sample), for counting violations.</summary>
    public IReadOnlyList<BoundRule> Bound => [.. _transforms, .. _tests];

    /// <summary>
    /// Copies of training rows beyond the holdout's rate, drawn again like rows that break a rule
    /// (<see cref="CopyGuard"/>); set for a synthesize job from revision 7 on, never stored with the model.
    /// </summary>
    public CopyGuard? Guard { get; private init; }

    /// <summary>This model with <paramref name="guard"/> (or none) over its rows.</summary>
    public ConstrainedModel WithGuard(CopyGuard? guard) => new(Sampler, Rules, BreachesInGroup) { Guard = guard };

    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey)
    {
        var table = Sampler.Sample(firstRow, count, seedKey);
        var guard = Guard is { IsActive: true } active ? active : null;
        if (_transforms.Length == 0 && _tests.Length == 0 && guard is null) return table;
        var keys = guard is null ? null : new RowKeys(table);
        var pending = new List<int>();
        var copies = new List<int>();
        for (var r = 0; r < count; r++)
        {
            Transform(table, r, RowKey(seedKey, firstRow + r));
            if (!Obeys(table, r)) pending.Add(r);
            else if (guard is not null && guard.Rejects(keys!.Of(r), seedKey, firstRow + r, 0)) copies.Add(r);
        }
        // A copy is drawn again within the strata of its block first, so the block's columns keep their shares (on a table of a few
        // dozen rows, rows drawn on their own instead cost the shapes several points); one still a copy after that is drawn on its own.
        var memo = new BlockMemo();
        for (var attempt = 1; attempt <= FreshAttempts && copies.Count > 0; attempt++)
        {
            if (Sampler.SampleAgain(firstRow, count, seedKey, copies.ToHashSet(), attempt, memo) is not { } again) break;
            var still = new List<int>();
            foreach (var r in copies)
            {
                for (var c = 0; c < table.Count; c++) CopyCell(again[c], r, table[c], r);
                Transform(table, r, RowKey(seedKey, firstRow + r));
                if (!Obeys(table, r)) pending.Add(r);
                else if (guard!.Rejects(keys!.Of(r), seedKey, firstRow + r, MaxRedraws + attempt)) still.Add(r);
            }
            copies = still;
        }
        pending.AddRange(copies);
        pending.Sort();
        for (var attempt = 1; attempt <= MaxRedraws && pending.Count > 0; attempt++)
        {
            var redrawn = BreachesInGroup
                ? Sampler.RedrawInBlock(firstRow, count, seedKey, pending, RedrawKey(seedKey, attempt))
                : Sampler.Redraw([.. pending.Select(r => firstRow + r)], RedrawKey(seedKey, attempt));
            var still = new List<int>();
            for (var i = 0; i < pending.Count; i++)
            {
                var r = pending[i];
                for (var c = 0; c < table.Count; c++) CopyCell(redrawn[c], i, table[c], r);
                Transform(table, r, RowKey(seedKey, firstRow + r));
                if (!Obeys(table, r) || (guard is not null && guard.Rejects(keys!.Of(r), seedKey, firstRow + r, attempt))) still.Add(r);
            }
            pending = still;
        }
        foreach (var r in pending)
        {
            var rowKey = RowKey(seedKey, firstRow + r);
            foreach (var rule in _tests)
                if (!rule.Holds(table, r)) rule.Repair(table, r, rowKey);
            Transform(table, r, rowKey);
        }
        return table;
    }

    private static void CopyCell(TableColumn from, int fromRow, TableColumn to, int toRow)
    {
        switch (to)
        {
            case NumericColumn n:
                n.Values[toRow] = ((NumericColumn)from).Values[fromRow];
                break;
            case CategoricalColumn k:
                k.Codes[toRow] = ((CategoricalColumn)from).Codes[fromRow];
                break;
        }
    }

    private void Transform(IReadOnlyList<TableColumn> table, int r, ulong rowKey)
    {
        foreach (var rule in _transforms) rule.Repair(table, r, rowKey);
    }

    private bool Obeys(IReadOnlyList<TableColumn> table, int r)
    {
        foreach (var rule in _tests)
            if (!rule.Holds(table, r)) return false;
        return true;
    }

    /// <summary>The stream the rules' own draws of a row come from (a category from the real counts).</summary>
    private static ulong RowKey(ulong seedKey, long row) => RedrawKey(seedKey ^ (ulong)row, 0);

    /// <summary>The stream of a row's <paramref name="attempt"/>-th redraw: apart from the first draw and from each other.</summary>
    private static ulong RedrawKey(ulong seedKey, int attempt) => SplitMix64.Mix64(seedKey ^ (0x7265647261770000UL + (ulong)attempt));

    public JsonObject ToJson()
    {
        var json = Sampler.ToJson();
        json["constraints"] = new JsonArray([.. Rules.Select(r => (JsonNode)r.ToJson())]);
        if (BreachesInGroup) json["breaches_in_group"] = true;
        return json;
    }

    /// <summary>Reads a model's JSON, the sampler by <paramref name="readSampler"/> (its family's reader).</summary>
    public static ConstrainedModel FromJson(JsonObject json, Func<JsonObject, IRowSampler> readSampler) =>
        new(readSampler(json), (json["constraints"] as JsonArray ?? []).Select(r => ConstraintRule.FromJson(r!.AsObject())).ToArray(),
            json["breaches_in_group"]?.GetValue<bool>() ?? false);

    /// <summary>Reads a constrained Gaussian copula (a look-alike contract's, or a gaussian_copula model's).</summary>
    public static ConstrainedModel FromCopulaJson(JsonObject json) => FromJson(json, new GaussianCopulaFamily().Read);
}
