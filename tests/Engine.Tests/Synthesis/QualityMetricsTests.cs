using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>
/// The quality metrics against the expected values of SDMetrics' own tests (sdv-dev/SDMetrics:
/// tests/unit/single_column/statistical/test_tv_complement.py, tests/unit/column_pairs/statistical/
/// test_correlation_similarity.py and test_contingency_similarity.py, tests/unit/reports/single_table/
/// _properties/test_column_pair_trends.py, tests/integration/reports/single_table/test_quality_report.py).
/// </summary>
public sealed class QualityMetricsTests
{
    [Fact]
    public void TVComplement_gives_SDMetrics_expected_value()
    {
        Assert.Equal(0.8333333333333333, SingleColumnMetrics.TvComplement(["a", "b", "c", "a", "a", "b"], ["a", "b", "c", "a", "b", "c"]), 12);
        // One value on each side, the rest null.
        Assert.Equal(1.0, SingleColumnMetrics.TvComplement([null, null, null, null, null, "b"], ["b", null, null, null, null, null]));
        Assert.True(double.IsNaN(SingleColumnMetrics.TvComplement(["a", "b", null, "a", null, "b"], [null, null, null, null, null, null])));
    }

    [Fact]
    public void KSComplement_is_one_for_equal_data_zero_for_disjoint_and_rounds_as_SDMetrics_does()
    {
        Assert.Equal(1.0, SingleColumnMetrics.KsComplement([0.3 - 0.2], [0.2 - 0.1]));
        Assert.Equal(1.0, SingleColumnMetrics.KsComplement([3, 1, 2, double.NaN], [1, 2, 3]));
        Assert.Equal(0.0, SingleColumnMetrics.KsComplement([1, 2, 3], [10, 20, 30]));
        // ECDFs of {1,2,3} and {2,3,4}: the largest gap is 1/3 (at 1, 2 and 3).
        Assert.Equal(2.0 / 3, SingleColumnMetrics.KsComplement([1, 2, 3], [2, 3, 4]), 12);
        Assert.True(double.IsNaN(SingleColumnMetrics.KsComplement([double.NaN], [1])));
    }

    [Fact]
    public void CorrelationSimilarity_gives_SDMetrics_expected_value()
    {
        double[] col1 = [1, 2, 3, 4];
        var score = ColumnPairMetrics.CorrelationSimilarity(col1, [0.2, -1.0895, -0.6425, 1.5365], col1, [0.616536, -1.216536, -0.916536, 1.516536]);
        Assert.Equal(0.9008941765855183, score, 6);
        Assert.Equal(0.498212, ColumnPairMetrics.Pearson(col1, [0.2, -1.0895, -0.6425, 1.5365]), 6);
        Assert.True(double.IsNaN(ColumnPairMetrics.CorrelationSimilarity([1.0, 1, 1], [2.0, 2, 2], [1.0, 2, 3], [1.0, 2, 3])));
    }

    [Fact]
    public void ContingencySimilarity_gives_SDMetrics_expected_value()
    {
        var score = ColumnPairMetrics.ContingencySimilarity<double, double>([1.0, 2.4, 2.6, 0.8], [1, 2, 3, 5], [1.0, 1.8, 2.6, 1.0], [2, 3, 4, 1]);
        Assert.Equal(0.25, score, 12);
    }

    [Fact]
    public void The_reports_binning_matches_SDMetrics()
    {
        Assert.Equal([1, 3, 6, 11, 11], ColumnPairMetrics.ReportBins([1, 2, 3, double.NaN, 5])!);
        Assert.Equal([1, 6, 11], ColumnPairMetrics.ReportBins([1, 2, 3])!);
        Assert.Equal([11, 1, 11], ColumnPairMetrics.ReportBins([double.NaN, 2, 3])!);
        Assert.Null(ColumnPairMetrics.ReportBins([double.NaN]));
    }

    [Fact]
    public void The_quality_report_of_SDMetrics_integration_test_gives_its_property_scores()
    {
        static double Seconds(int y, int m, int d) => (new DateTime(y, m, d, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;
        TableColumn[] real =
        [
            new NumericColumn("col1", [0, 1, 2, 3], NumericRole.Integer),
            CategoricalColumn.FromValues("col2", ["a", "b", "c", "d"]),
            CategoricalColumn.FromValues("col3", ["True", "False", "False", "True"], isBoolean: true),
            new NumericColumn("col4", [Seconds(2020, 10, 1), Seconds(2021, 1, 2), Seconds(2021, 9, 12), Seconds(2022, 10, 1)], NumericRole.DateTime),
            new NumericColumn("col5", [Seconds(2020, 9, 13), Seconds(2020, 12, 1), Seconds(2021, 1, 12), Seconds(2022, 8, 13)], NumericRole.DateTime),
        ];
        TableColumn[] synthetic =
        [
            new NumericColumn("col1", [0, 2, 2, 3], NumericRole.Integer),
            CategoricalColumn.FromValues("col2", ["a", "c", "c", "b"]),
            CategoricalColumn.FromValues("col3", ["False", "False", "False", "True"], isBoolean: true),
            new NumericColumn("col4", [Seconds(2020, 11, 4), Seconds(2021, 2, 1), Seconds(2021, 8, 1), Seconds(2022, 12, 1)], NumericRole.DateTime),
            new NumericColumn("col5", [Seconds(2020, 10, 13), Seconds(2020, 2, 4), Seconds(2021, 3, 11), Seconds(2022, 7, 23)], NumericRole.DateTime),
        ];
        var scores = QualityScores.Compute(real, synthetic);
        Assert.Equal(0.75, scores.ColumnShapes, 12);
        Assert.Equal(0.5005754481922459, scores.ColumnPairTrends, 12);
        Assert.Equal((0.75 + 0.5005754481922459) / 2, scores.Overall, 12);
        Assert.Equal(10, scores.Pairs.Count);
    }
}
