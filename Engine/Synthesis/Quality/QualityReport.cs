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

    /// <summary>Scores two tables with the same columns, in the real table's order.</summary>
    public static QualityScores Compute(IReadOnlyList<TableColumn> real, IReadOnlyList<TableColumn> synthetic)
    {
        if (real.Count != synthetic.Count)
            throw new ArgumentException("the real and synthetic tables must have the same columns.");
        for (var i = 0; i < real.Count; i++)
            if (real[i].Name != synthetic[i].Name || real[i].GetType() != synthetic[i].GetType())
                throw new ArgumentException($"column {i} is '{real[i].Name}' in the real table and '{synthetic[i].Name}' in the synthetic one, or of another type.");

        var shapes = new ColumnShapeScore[real.Count];
        for (var i = 0; i < real.Count; i++)
        {
            var (metric, score) = (real[i], synthetic[i]) switch
            {
                (NumericColumn r, NumericColumn s) => ("KSComplement", SingleColumnMetrics.KsComplement(r.Values, s.Values)),
                (CategoricalColumn r, CategoricalColumn s) => ("TVComplement", SingleColumnMetrics.TvComplement(Values(r), Values(s))),
                _ => throw new ArgumentException($"column '{real[i].Name}' has no shape metric."),
            };
            shapes[i] = new ColumnShapeScore(real[i].Name, metric, score, NullRate(real[i]), NullRate(synthetic[i]));
        }

        var realBins = real.Select(c => c is NumericColumn n ? ColumnPairMetrics.ReportBins(n.Values) : null).ToArray();
        var syntheticBins = synthetic.Select(c => c is NumericColumn n ? ColumnPairMetrics.ReportBins(n.Values) : null).ToArray();
        var pairs = new List<ColumnPairScore>();
        for (var i = 0; i < real.Count; i++)
            for (var j = i + 1; j < real.Count; j++)
                pairs.Add(Pair(real, synthetic, realBins, syntheticBins, i, j));
        return new QualityScores(shapes, pairs);
    }

    private static ColumnPairScore Pair(IReadOnlyList<TableColumn> real, IReadOnlyList<TableColumn> synthetic, int[]?[] realBins, int[]?[] syntheticBins, int i, int j)
    {
        string a = real[i].Name, b = real[j].Name;
        switch (real[i], real[j], synthetic[i], synthetic[j])
        {
            case (NumericColumn r1, NumericColumn r2, NumericColumn s1, NumericColumn s2):
                return new ColumnPairScore(a, b, "CorrelationSimilarity", ColumnPairMetrics.CorrelationSimilarity(r1.Values, r2.Values, s1.Values, s2.Values),
                    Finite(ColumnPairMetrics.Pearson(r1.Values, r2.Values)), Finite(ColumnPairMetrics.Pearson(s1.Values, s2.Values)));
            case (CategoricalColumn r1, CategoricalColumn r2, CategoricalColumn s1, CategoricalColumn s2):
                return new ColumnPairScore(a, b, "ContingencySimilarity", ColumnPairMetrics.ContingencySimilarity(Values(r1), Values(r2), Values(s1), Values(s2)));
            case (NumericColumn, CategoricalColumn r2, NumericColumn, CategoricalColumn s2):
                return new ColumnPairScore(a, b, "ContingencySimilarity", realBins[i] is { } rb && syntheticBins[i] is { } sb
                    ? ColumnPairMetrics.ContingencySimilarity(rb, Values(r2), sb, Values(s2)) : double.NaN);
            case (CategoricalColumn r1, NumericColumn, CategoricalColumn s1, NumericColumn):
                return new ColumnPairScore(a, b, "ContingencySimilarity", realBins[j] is { } rb2 && syntheticBins[j] is { } sb2
                    ? ColumnPairMetrics.ContingencySimilarity(Values(r1), rb2, Values(s1), sb2) : double.NaN);
            default:
                throw new ArgumentException($"columns '{a}' and '{b}' have no pair metric.");
        }
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
