using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Reports;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>The quality report says when rows fall short of the targets or of independent sampling, and what might do better.</summary>
public sealed class QualityAssessmentTests
{
    private static QualityScores Scores(double shape, double pair) =>
        new([new ColumnShapeScore("a", "KSComplement", shape, 0, 0)], [new ColumnPairScore("a", "b", "CorrelationSimilarity", pair)]);

    private static JsonObject Report(string model, double shapes, double pairs, long violations = 0) => new()
    {
        ["model"] = model,
        ["column_shapes"] = shapes,
        ["column_pair_trends"] = pairs,
        ["overall"] = (shapes + pairs) / 2,
        ["real_rows"] = 240,
        ["constraints"] = new JsonArray(new JsonObject { ["violations"] = violations }),
    };

    [Fact]
    public void Rows_below_the_targets_and_below_independent_sampling_are_said_to_be_with_what_might_do_better()
    {
        var report = Report("ctgan", 0.82, 0.70, violations: 3);
        QualityReportDocument.Assess(report, Scores(0.96, 0.80), 240);
        var assessment = report["assessment"]!;
        Assert.False(assessment["meets_targets"]!.GetValue<bool>());
        Assert.False(assessment["above_baseline"]!.GetValue<bool>());
        var notes = assessment["notes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Contains(notes, n => n.StartsWith("column shapes 0.820 are below the 0.95 target (with 240 training rows", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("column pair trends 0.700 are below the 0.90 target", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("below independent sampling's 0.880: the ctgan model", StringComparison.Ordinal) && n.EndsWith("gaussian_copula, or more epochs, may do better.", StringComparison.Ordinal));
        Assert.Contains("3 synthetic rows break a rule", notes[^1]);
        Assert.Equal(0.88, report["baseline"]!["overall"]!.GetValue<double>(), 6);
    }

    [Fact]
    public void Rows_that_meet_the_targets_and_beat_independent_sampling_get_no_notes()
    {
        var report = Report("gaussian_copula", 0.97, 0.93);
        QualityReportDocument.Assess(report, Scores(0.97, 0.70), 240);
        Assert.True(report["assessment"]!["meets_targets"]!.GetValue<bool>());
        Assert.True(report["assessment"]!["above_baseline"]!.GetValue<bool>());
        Assert.Empty(report["assessment"]!["notes"]!.AsArray());
    }
}
