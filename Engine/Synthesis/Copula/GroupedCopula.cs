using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A table modelled as one Gaussian copula per value of a column the others depend on (a species,
/// a product line, a class), or per cluster of rows no column names: each group's copula has its own
/// marginals and correlations, and a row is drawn from a group chosen at the group's share of the
/// training rows.
/// </summary>
/// <remarks>
/// One copula for the whole table keeps one correlation per pair and one marginal per column. When a
/// category shifts the other columns (each species its own sizes, and within a species length and
/// width still related), the pooled copula blurs the groups into each other: rows of one species get
/// another's sizes, and a relation that holds within each group comes out weaker or reversed. A copula
/// per group keeps both. Every group's copula models every column, the grouping one included (constant
/// in a group of one value), so all groups draw the same columns; category codes are translated to
/// the table's own lists. A block's rows are split between the groups by their shares (largest
/// remainder) and shuffled, all from the seed and the block's first row, so output stays byte-identical.
/// </remarks>
public sealed class GroupedCopula : IRowSampler
{
    private readonly long[] _rows;
    /// <summary>Each group's share of the training rows, and the shares summed up to each group.</summary>
    private readonly double[] _share, _cumulativeShare;
    /// <summary>Per group and column: the code in <see cref="Columns"/>' categories of each of the group copula's values (−1 for null); null for numbers.</summary>
    private readonly int[]?[][] _codes;

    public GroupedCopula(string? groupedBy, IReadOnlyList<SampledColumn> columns, IReadOnlyList<GaussianCopula> groups, IReadOnlyList<long> rows)
    {
        if (groups.Count < 2) throw new FormatException("a grouped copula has at least two groups.");
        if (rows.Count != groups.Count || rows.Any(r => r <= 0)) throw new FormatException("each group has a positive count of training rows.");
        if (groupedBy is not null && !columns.Any(c => c.Name == groupedBy)) throw new FormatException($"the grouping column '{groupedBy}' is not one of the model's columns.");
        GroupedBy = groupedBy;
        Columns = columns;
        Groups = groups;
        _rows = [.. rows];
        var total = (double)_rows.Sum();
        _share = [.. _rows.Select(r => r / total)];
        _cumulativeShare = new double[_rows.Length];
        for (long g = 0, sum = 0; g < _rows.Length; g++) _cumulativeShare[g] = (sum += _rows[g]) / total;
        _codes = [.. groups.Select(Translation)];
    }

    /// <summary>The column whose values the groups are; null when they are clusters of rows no column names.</summary>
    public string? GroupedBy { get; }

    public IReadOnlyList<SampledColumn> Columns { get; }

    /// <summary>Each group's copula, of every column.</summary>
    public IReadOnlyList<GaussianCopula> Groups { get; }

    /// <summary>Each group's training rows: its share of what is drawn.</summary>
    public IReadOnlyList<long> TrainingRows => _rows;

    /// <summary>The values of <see cref="GroupedBy"/> group <paramref name="group"/> holds, as text (null for null).</summary>
    public IReadOnlyList<string?> ValuesOf(int group)
    {
        if (GroupedBy is null) return [];
        var column = Groups[group].Columns.First(c => c.Name == GroupedBy);
        return column switch
        {
            DiscreteColumn { Categories: { } categories } => categories,
            DiscreteColumn { Numbers: { } numbers } => [.. numbers.Select(n => (string?)n.ToString("R", System.Globalization.CultureInfo.InvariantCulture))],
            _ => [],
        };
    }

    /// <summary>
    /// Fits a copula per group of <paramref name="groups"/> to its rows. A number continuous in the whole table stays continuous in
    /// every group (a group's few distinct values, modelled as discrete, would be copied).
    /// </summary>
    public static GroupedCopula Fit(IReadOnlyList<TableColumn> columns, CopulaGroups groups, long seed, int parallelism, CopulaFitting fitting,
        CancellationToken cancellationToken)
    {
        var members = Enumerable.Range(0, groups.Groups).Select(_ => new List<int>()).ToArray();
        for (var r = 0; r < groups.GroupOfRow.Length; r++) members[groups.GroupOfRow[r]].Add(r);
        var copulas = new GaussianCopula[groups.Groups];
        for (var g = 0; g < copulas.Length; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var subset = columns.Select(c => c.AtRows(members[g])).ToArray();
            copulas[g] = GaussianCopula.Fit(subset, seed, parallelism, fitting, groups.Continuous, cancellationToken);
        }
        var sampled = columns.Select(c => new SampledColumn(c.Name, c is CategoricalColumn k ? k.Categories : null)).ToArray();
        return new GroupedCopula(groups.Column >= 0 ? columns[groups.Column].Name : null, sampled, copulas, [.. members.Select(m => (long)m.Count)]);
    }

    private int[]?[] Translation(GaussianCopula group)
    {
        if (!group.Columns.Select(c => c.Name).SequenceEqual(Columns.Select(c => c.Name)))
            throw new FormatException("every group's copula models the model's columns, in order.");
        var codes = new int[]?[Columns.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            var categories = Columns[c].Categories;
            var local = group.Columns[c] is DiscreteColumn { Categories: { } values } ? values : null;
            if ((categories is null) != (local is null))
                throw new FormatException($"column '{Columns[c].Name}' is a category in some groups and a number in others.");
            if (categories is null) continue;
            codes[c] = [.. local!.Select(v => v is null ? CategoricalColumn.Null : Array.IndexOf(categories, v) is var i and >= 0
                ? i : throw new FormatException($"column '{Columns[c].Name}': a group draws '{v}', which is not one of its categories."))];
        }
        return codes;
    }

    /// <summary>Rows of group <paramref name="group"/> are drawn from a stream of their own.</summary>
    private static ulong GroupKey(ulong seedKey, int group) => SplitMix64.Mix64(seedKey ^ SplitMix64.Mix64(0x6A09E667F3BCC909UL + (ulong)group));

    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey)
    {
        var (counts, groupOfRow) = Layout(firstRow, count, seedKey);
        return Gather(groupOfRow, g => Groups[g].Sample(firstRow, counts[g], GroupKey(seedKey, g)));
    }

    /// <summary>The block drawn again, the rows at <paramref name="fresh"/> with new points inside their groups' strata.</summary>
    public IReadOnlyList<TableColumn>? SampleAgain(long firstRow, int count, ulong seedKey, IReadOnlySet<int> fresh, int attempt, BlockMemo memo)
    {
        var (counts, groupOfRow) = Layout(firstRow, count, seedKey);
        // Each fresh row as its position among its group's rows, which is its row in the group's block.
        var local = new HashSet<int>[Groups.Count];
        var seen = new int[Groups.Count];
        for (var r = 0; r < count; r++)
        {
            var g = groupOfRow[r];
            if (fresh.Contains(r)) (local[g] ??= []).Add(seen[g]);
            seen[g]++;
        }
        // A group without a fresh row is not drawn again (only the fresh rows are read): an empty set gives its block unread.
        var drawn = new IReadOnlyList<TableColumn>?[Groups.Count];
        for (var g = 0; g < Groups.Count; g++)
            if ((drawn[g] = Groups[g].SampleAgain(firstRow, counts[g], GroupKey(seedKey, g), local[g] ?? [], attempt, memo)) is null) return null;
        return Gather(groupOfRow, g => drawn[g]!);
    }

    /// <summary>How many rows of the block each group draws, and which group each row comes from.</summary>
    private (int[] Counts, int[] GroupOfRow) Layout(long firstRow, int count, ulong seedKey)
    {
        // Each group's count by largest remainder: the block holds the groups at their shares as closely as whole rows allow.
        var counts = new int[_rows.Length];
        var remainders = new double[_rows.Length];
        for (var g = 0; g < counts.Length; g++)
        {
            var exact = count * _share[g];
            counts[g] = (int)Math.Floor(exact);
            remainders[g] = exact - counts[g];
        }
        foreach (var g in Enumerable.Range(0, counts.Length).OrderByDescending(g => remainders[g]).ThenBy(g => g).Take(count - counts.Sum())) counts[g]++;
        var groupOfRow = new int[count];
        for (int g = 0, r = 0; g < counts.Length; g++)
            for (var i = 0; i < counts[g]; i++) groupOfRow[r++] = g;
        var random = SplitMix64.ForCell(seedKey, firstRow, 0);
        for (var r = count - 1; r > 0; r--)
        {
            var swap = (int)random.NextBelow((ulong)r + 1);
            (groupOfRow[r], groupOfRow[swap]) = (groupOfRow[swap], groupOfRow[r]);
        }
        return (counts, groupOfRow);
    }

    public IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey)
    {
        var groupOfRow = new int[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var u = SplitMix64.ForCell(seedKey, rows[r], 0).NextDouble();
            var g = 0;
            while (g < _cumulativeShare.Length - 1 && u >= _cumulativeShare[g]) g++;
            groupOfRow[r] = g;
        }
        return Gather(groupOfRow, g => Groups[g].Redraw([.. Enumerable.Range(0, rows.Count).Where(r => groupOfRow[r] == g).Select(r => rows[r])], GroupKey(seedKey, g)));
    }

    /// <summary>The rows at <paramref name="positions"/> of a block drawn again, each from the group the block gave it.</summary>
    public IReadOnlyList<TableColumn> RedrawInBlock(long firstRow, int count, ulong seedKey, IReadOnlyList<int> positions, ulong redrawKey)
    {
        var (_, groupOfRow) = Layout(firstRow, count, seedKey);
        var groupOf = positions.Select(p => groupOfRow[p]).ToArray();
        return Gather(groupOf, g => Groups[g].Redraw([.. Enumerable.Range(0, groupOf.Length).Where(i => groupOf[i] == g).Select(i => firstRow + positions[i])],
            GroupKey(redrawKey, g)));
    }

    /// <summary>The block's rows, each from its group's draws in order: <paramref name="draw"/> gives a group's rows, as many as it has in the block.</summary>
    private TableColumn[] Gather(int[] groupOfRow, Func<int, IReadOnlyList<TableColumn>> draw)
    {
        var count = groupOfRow.Length;
        var outputs = new TableColumn[Columns.Count];
        var template = Groups[0].Columns;
        for (var c = 0; c < outputs.Length; c++)
        {
            outputs[c] = template[c] switch
            {
                ContinuousColumn continuous => new NumericColumn(continuous.Name, new double[count], continuous.Role, continuous.Decimals),
                DiscreteColumn { Numbers: not null } discrete => new NumericColumn(discrete.Name, new double[count], discrete.Role!.Value),
                _ => new CategoricalColumn(Columns[c].Name, new int[count], Columns[c].Categories!, ((DiscreteColumn)template[c]).IsBoolean),
            };
        }
        // Each group's positions in the block, in order; then column by column, a tight copy (and code translation) per group.
        var positions = new List<int>[Groups.Count];
        for (var r = 0; r < count; r++) (positions[groupOfRow[r]] ??= []).Add(r);
        for (var g = 0; g < Groups.Count; g++)
        {
            if (positions[g] is not { } at) continue;
            var drawn = draw(g);
            for (var c = 0; c < outputs.Length; c++)
            {
                if (outputs[c] is NumericColumn numbers)
                {
                    var from = ((NumericColumn)drawn[c]).Values;
                    var to = numbers.Values;
                    for (var i = 0; i < at.Count; i++) to[at[i]] = from[i];
                }
                else
                {
                    var from = ((CategoricalColumn)drawn[c]).Codes;
                    var to = ((CategoricalColumn)outputs[c]).Codes;
                    var translate = _codes[g][c]!;
                    for (var i = 0; i < at.Count; i++) to[at[i]] = from[i] == CategoricalColumn.Null ? CategoricalColumn.Null : translate[from[i]];
                }
            }
        }
        return outputs;
    }

    public JsonObject ToJson() => new()
    {
        ["grouped_by"] = GroupedBy,
        ["columns"] = new JsonArray([.. Columns.Select(c => (JsonNode)(c.Categories is null
            ? new JsonObject { ["name"] = c.Name }
            : new JsonObject { ["name"] = c.Name, ["categories"] = new JsonArray([.. c.Categories.Select(v => (JsonNode?)v)]) }))]),
        ["groups"] = new JsonArray([.. Groups.Select((g, i) => (JsonNode)new JsonObject { ["training_rows"] = _rows[i], ["copula"] = g.ToJson() })]),
    };

    public static bool IsGrouped(JsonObject json) => json.ContainsKey("groups");

    public static GroupedCopula FromJson(JsonObject json)
    {
        var columns = json["columns"]!.AsArray().Select(c => new SampledColumn(c!["name"]!.GetValue<string>(),
            c["categories"] is JsonArray values ? [.. values.Select(v => v!.GetValue<string>())] : null)).ToArray();
        var groups = json["groups"]!.AsArray();
        return new GroupedCopula(json["grouped_by"]?.GetValue<string>(), columns,
            [.. groups.Select(g => GaussianCopula.FromJson(g!["copula"]!.AsObject()))], [.. groups.Select(g => g!["training_rows"]!.GetValue<long>())]);
    }
}
