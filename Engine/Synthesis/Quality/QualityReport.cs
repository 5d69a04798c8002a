using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Quality;

/// <summary>One column's shape score.</summary>
public sealed record ColumnShapeScore(string Column, string Metric, double Score, double RealNullRate, double SyntheticNullRate);

/// <summary>One pair's trend score; the correlations are set for CorrelationSimilarity pairs.</summary>
public sealed record ColumnPairScore(string Column1, string Column2, string Metric, double Score, double? RealCorrelation = null, double? SyntheticCorrelation = null);

/// <summary>
/// SDMetrics' single-table quality report, computed the same way so its figures compare with
/// published ones: Column Shapes is the mean over columns of KSComplement (numbers, times) or
/// TVComplement (categories, booleans); Column Pair Trends the mean over pairs of
/// CorrelationSimilarity (two continuous columns, Pearson) or ContingencySimilarity (a pair with a
/// discrete column; a continuous one binned in 10 equal-width bins, each side on its own edges, as
/// the report does). Overall is the mean of the two. Scores that cannot be computed (a constant
/// column, an empty side) are NaN and left out of the means. No correlation or association
/// threshold is applied (SDMetrics' reports before 0.27 and its tests with thresholds at 0).
/// </summary>
public sealed record QualityScores(IReadOnlyList<ColumnShapeScore> Columns, IReadOnlyList<ColumnPairScore> Pairs)
{
    public double ColumnShapes => NanMean(Columns.Select(c => c.Score));

    public double ColumnPairTrends => NanMean(Pairs.Select(p => p.Score));

    public double Overall => NanMean([ColumnShapes, ColumnPairTrends]);

    internal static double NanMean(IEnumerable<double> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>
    /// Scores two tables with the same columns, in the real table's order. Columns and pairs are
    /// scored side by side on <paramref name="parallelism"/> threads; categories and bins are
    /// numbered once per column, so a pair's contingency tables are counted in arrays.
    /// </summary>
    public static QualityScores Compute(IReadOnlyList<TableColumn> real, IReadOnlyList<TableColumn> synthetic, int parallelism = 0)
    {
        if (real.Count != synthetic.Count)
            throw new ArgumentException("the real and synthetic tables must have the same columns.");
        for (var i = 0; i < real.Count; i++)
            if (real[i].Name != synthetic[i].Name || real[i].GetType() != synthetic[i].GetType())
                throw new ArgumentException($"column {i} is '{real[i].Name}' in the real table and '{synthetic[i].Name}' in the synthetic one, or of another type.");
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount };

        var shapes = new ColumnShapeScore[real.Count];
        var codes = new Numbered?[real.Count];
        Parallel.For(0, real.Count, options, i =>
        {
            var (metric, score) = (real[i], synthetic[i]) switch
            {
                (NumericColumn r, NumericColumn s) => ("KSComplement", SingleColumnMetrics.KsComplement(r.Values, s.Values)),
                (CategoricalColumn r, CategoricalColumn s) => ("TVComplement", SingleColumnMetrics.TvComplement(Values(r), Values(s))),
                _ => throw new ArgumentException($"column '{real[i].Name}' has no shape metric."),
            };
            shapes[i] = new ColumnShapeScore(real[i].Name, metric, score, NullRate(real[i]), NullRate(synthetic[i]));
            codes[i] = Number(real[i], synthetic[i]);
        });

        var pairIndexes = new List<(int, int)>();
        for (var i = 0; i < real.Count; i++)
            for (var j = i + 1; j < real.Count; j++)
                pairIndexes.Add((i, j));
        var pairs = new ColumnPairScore[pairIndexes.Count];
        Parallel.For(0, pairs.Length, options, p => pairs[p] = Pair(real, synthetic, codes, pairIndexes[p].Item1, pairIndexes[p].Item2));
        return new QualityScores(shapes, pairs);
    }

    /// <summary>
    /// A column's values as numbers 0 … Cardinality − 1 on both sides: a category's text (null one
    /// value of its own), or a number's report bin (each side on its own edges). Null for a number
    /// with no value on one side.
    /// </summary>
    private sealed record Numbered(int[] Real, int[] Synthetic, int Cardinality);

    private static Numbered? Number(TableColumn real, TableColumn synthetic)
    {
        switch (real, synthetic)
        {
            case (NumericColumn r, NumericColumn s):
                var (realBins, syntheticBins) = (ColumnPairMetrics.ReportBins(r.Values), ColumnPairMetrics.ReportBins(s.Values));
                return realBins is null || syntheticBins is null ? null : new Numbered(realBins, syntheticBins, ColumnPairMetrics.ReportBinCount);
            case (CategoricalColumn r, CategoricalColumn s):
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                int[] Map(CategoricalColumn column)
                {
                    // Code 0 is null; each text gets the next code the first time it is seen, on either side.
                    var byCode = column.Categories.Select(v => index.TryGetValue(v, out var code) ? code : index[v] = index.Count + 1).ToArray();
                    var mapped = new int[column.Length];
                    for (var row = 0; row < mapped.Length; row++) mapped[row] = column.Codes[row] == CategoricalColumn.Null ? 0 : byCode[column.Codes[row]];
                    return mapped;
                }
                var realCodes = Map(r);
                var syntheticCodes = Map(s);
                return new Numbered(realCodes, syntheticCodes, index.Count + 1);
            default:
                throw new ArgumentException($"column '{real.Name}' has no pair metric.");
        }
    }

    private static ColumnPairScore Pair(IReadOnlyList<TableColumn> real, IReadOnlyList<TableColumn> synthetic, Numbered?[] codes, int i, int j)
    {
        string a = real[i].Name, b = real[j].Name;
        if ((real[i], real[j], synthetic[i], synthetic[j]) is (NumericColumn r1, NumericColumn r2, NumericColumn s1, NumericColumn s2))
            return new ColumnPairScore(a, b, "CorrelationSimilarity", ColumnPairMetrics.CorrelationSimilarity(r1.Values, r2.Values, s1.Values, s2.Values),
                Finite(ColumnPairMetrics.Pearson(r1.Values, r2.Values)), Finite(ColumnPairMetrics.Pearson(s1.Values, s2.Values)));
        if (codes[i] is not { } x || codes[j] is not { } y) return new ColumnPairScore(a, b, "ContingencySimilarity", double.NaN);
        return new ColumnPairScore(a, b, "ContingencySimilarity", ColumnPairMetrics.ContingencySimilarity(x.Real, y.Real, x.Synthetic, y.Synthetic, x.Cardinality, y.Cardinality));
    }

    private static double? Finite(double value) => double.IsNaN(value) ? null : value;

    private static string?[] Values(CategoricalColumn column)
    {
        var values = new string?[column.Length];
        for (var i = 0; i < values.Length; i++) values[i] = column.ValueAt(i);
        return values;
    }

    private static double NullRate(TableColumn column) => column.Length == 0 ? 0 : (double)column.NullCount / column.Length;
}
