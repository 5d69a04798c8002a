using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Constraints;

/// <summary>
/// A copula whose rows keep the table's rules: sums are computed from their terms, a category pair
/// that never occurs gets its second value from the real counts given the first; a row that breaks
/// another rule (an inequality) is drawn again from streams of its own, up to <see cref="MaxRedraws"/>
/// times, and repaired if it still does. Every step depends only on the seed and the row, so output stays
/// byte-identical across runs, threads and machines. JSON: the copula's, with its rules under "constraints".
/// </summary>
public sealed class ConstrainedCopula
{
    /// <summary>Draws of one row at most before it is repaired (bounded reject-sampling).</summary>
    public const int MaxRedraws = 16;

    private readonly BoundRule[] _transforms;
    private readonly BoundRule[] _tests;

    public ConstrainedCopula(GaussianCopula copula, IReadOnlyList<ConstraintRule> rules)
    {
        Copula = copula;
        Rules = rules;
        var bound = rules.Select(r => r.Bind(copula.Columns)).ToArray();
        _transforms = bound.Where(b => b.Transforms).ToArray();
        _tests = bound.Where(b => !b.Transforms).ToArray();
    }

    public GaussianCopula Copula { get; }

    public IReadOnlyList<ConstraintRule> Rules { get; }

    /// <summary>Each rule bound to a table laid out as the copula's columns (a synthetic sample), for counting violations.</summary>
    public IReadOnlyList<BoundRule> Bound => [.. _transforms, .. _tests];

    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey)
    {
        var table = Copula.Sample(firstRow, count, seedKey);
        if (_transforms.Length == 0 && _tests.Length == 0) return table;
        var scratch = new double[2 * Copula.Dimensions];
        for (var r = 0; r < count; r++)
        {
            var row = firstRow + r;
            var rowKey = RedrawKey(seedKey ^ (ulong)row, 0);
            Transform(table, r, rowKey);
            if (Obeys(table, r)) continue;
            for (var attempt = 1; attempt <= MaxRedraws; attempt++)
            {
                Copula.SampleRow(row, RedrawKey(seedKey, attempt), table, r, scratch);
                Transform(table, r, rowKey);
                if (Obeys(table, r)) break;
            }
            foreach (var rule in _tests)
                if (!rule.Holds(table, r)) rule.Repair(table, r, rowKey);
            Transform(table, r, rowKey);
        }
        return table;
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

    /// <summary>The stream of a row's <paramref name="attempt"/>-th redraw: apart from the first draw and from each other.</summary>
    private static ulong RedrawKey(ulong seedKey, int attempt) => SplitMix64.Mix64(seedKey ^ (0x7265647261770000UL + (ulong)attempt));

    public JsonObject ToJson()
    {
        var json = Copula.ToJson();
        json["constraints"] = new JsonArray([.. Rules.Select(r => (JsonNode)r.ToJson())]);
        return json;
    }

    public static ConstrainedCopula FromJson(JsonObject json) =>
        new(GaussianCopula.FromJson(json), (json["constraints"] as JsonArray ?? []).Select(r => ConstraintRule.FromJson(r!.AsObject())).ToArray());
}
