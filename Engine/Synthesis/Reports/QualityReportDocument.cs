using System.Globalization;
using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Tables;
using static RadMah.Engine.Synthesis.Reports.ReportPage;

namespace RadMah.Engine.Synthesis.Reports;

/// <summary>
/// quality-report.json and .html: SDMetrics' quality report (<see cref="QualityScores"/>) of the
/// synthetic rows against the training rows, over the modelled columns, with every column's and
/// pair's score, the worst five of each and null rates real against synthetic. Columns that are
/// regenerated rather than modelled are listed, not scored.
/// </summary>
public static class QualityReportDocument
{
    public const string Version = "radmah.quality/1";

    /// <summary>
    /// Synthetic rows scored at most: the first 16 chunks of the files (1,048,576 rows). A whole number of chunks, because
    /// the copula samples a chunk as one stratified block: a partial chunk would not be the rows the files hold.
    /// </summary>
    public const int MaxEvaluatedRows = 16 * Contracts.MockContract.ChunkRows;

    public static JsonObject Json(QualityScores scores, TrainingTable real, long syntheticRows, int evaluatedRows)
    {
        JsonObject ColumnJson(ColumnShapeScore c) => new()
        {
            ["column"] = c.Column,
            ["metric"] = c.Metric,
            ["score"] = Round(c.Score),
            ["real_null_rate"] = Round(c.RealNullRate),
            ["synthetic_null_rate"] = Round(c.SyntheticNullRate),
        };
        JsonObject PairJson(ColumnPairScore p) => new()
        {
            ["column_1"] = p.Column1,
            ["column_2"] = p.Column2,
            ["metric"] = p.Metric,
            ["score"] = Round(p.Score),
            ["real_correlation"] = p.RealCorrelation is { } r ? Round(r) : null,
            ["synthetic_correlation"] = p.SyntheticCorrelation is { } s ? Round(s) : null,
        };
        return new JsonObject
        {
            ["report"] = Version,
            ["definitions"] = "SDMetrics single-table quality report: KSComplement, TVComplement, CorrelationSimilarity, ContingencySimilarity (10 equal-width bins)",
            ["overall"] = Round(scores.Overall),
            ["column_shapes"] = Round(scores.ColumnShapes),
            ["column_pair_trends"] = Round(scores.ColumnPairTrends),
            ["real_rows"] = real.Training.Count == 0 ? 0 : real.Training[0].Length,
            ["synthetic_rows"] = syntheticRows,
            ["synthetic_rows_scored"] = evaluatedRows,
            ["columns"] = new JsonArray([.. scores.Columns.Select(c => (JsonNode)ColumnJson(c))]),
            ["pairs"] = new JsonArray([.. scores.Pairs.Select(p => (JsonNode)PairJson(p))]),
            ["worst_columns"] = new JsonArray([.. Worst(scores.Columns, c => c.Score).Select(c => (JsonNode)ColumnJson(c))]),
            ["worst_pairs"] = new JsonArray([.. Worst(scores.Pairs, p => p.Score).Select(p => (JsonNode)PairJson(p))]),
            ["not_modelled"] = new JsonArray([.. real.Codecs.Where(c => !c.IsModelled).Select(c => (JsonNode)new JsonObject
            {
                ["column"] = c.Name,
                ["semantic_type"] = c.SemanticType,
                ["how"] = c.Generator?.Generator == "arithmetic"
                    ? "written as the real column's strictly increasing series (same start and step), extended past the real rows; not scored"
                    : "regenerated in the real column's pattern, never copied; not scored",
            })]),
        };
    }

    /// <summary>The targets a synthetic table is held to (SDMetrics' scores).</summary>
    public const double ShapesTarget = 0.95, PairsTarget = 0.90;

    /// <summary>
    /// Says whether the rows meet the targets and clear the independent-columns baseline, and why not
    /// in words: where a model falls short the report says so, with what might do better.
    /// </summary>
    public static void Assess(JsonObject report, QualityScores baseline, int baselineRows)
    {
        double Score(string key) => report[key]?.GetValue<double>() ?? double.NaN;
        var (shapes, pairs, overall) = (Score("column_shapes"), Score("column_pair_trends"), Score("overall"));
        var realRows = report["real_rows"]!.GetValue<int>();
        var family = report["model"]?.GetValue<string>() ?? "the";
        var notes = new List<string>();
        var noise = realRows < 1_000 ? $" (with {realRows:N0} training rows, part of the gap is the sampling noise of a small table)" : "";
        if (shapes < ShapesTarget) notes.Add(string.Create(CultureInfo.InvariantCulture, $"column shapes {shapes:0.000} are below the {ShapesTarget:0.00} target{noise}."));
        if (pairs < PairsTarget) notes.Add(string.Create(CultureInfo.InvariantCulture, $"column pair trends {pairs:0.000} are below the {PairsTarget:0.00} target{noise}."));
        var above = !(overall < baseline.Overall);
        if (!above)
        {
            var instead = family == Models.ModelHyperparameters.GaussianCopula ? "More rows, or a neural model (tvae, ctgan), may do better." : "gaussian_copula, or more epochs, may do better.";
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"overall {overall:0.000} is below independent sampling's {baseline.Overall:0.000}: the {family} model lost more of this table than it learned. {instead}"));
        }
        var violations = (report["constraints"] as JsonArray ?? []).Sum(c => c!["violations"]!.GetValue<long>());
        if (violations > 0) notes.Add(string.Create(CultureInfo.InvariantCulture, $"{violations:N0} synthetic rows break a rule every real row obeys."));
        report["baseline"] = new JsonObject
        {
            ["method"] = IndependentBaseline.Method,
            ["rows"] = baselineRows,
            ["overall"] = Round(baseline.Overall),
            ["column_shapes"] = Round(baseline.ColumnShapes),
            ["column_pair_trends"] = Round(baseline.ColumnPairTrends),
        };
        report["assessment"] = new JsonObject
        {
            ["targets"] = new JsonObject { ["column_shapes"] = ShapesTarget, ["column_pair_trends"] = PairsTarget },
            ["meets_targets"] = !(shapes < ShapesTarget) && !(pairs < PairsTarget) && violations == 0,
            ["above_baseline"] = above,
            ["notes"] = new JsonArray([.. notes.Select(n => (JsonNode)n)]),
        };
    }

    private static IEnumerable<T> Worst<T>(IEnumerable<T> items, Func<T, double> score) =>
        items.Where(i => !double.IsNaN(score(i))).OrderBy(score).Take(5);

    private static JsonNode? Round(double v) => double.IsNaN(v) ? null : JsonValue.Create(Math.Round(v, 6));

    public static string Html(JsonObject report, string title)
    {
        var html = ReportPage.Begin(title);
        html.Append("<p>Scores run from 0 to 1 (1: the synthetic rows match the real ones). Column shapes compare each column's distribution; ")
            .Append("column pair trends compare each pair's correlation or contingency table. The definitions are SDMetrics', so the figures compare with published ones.</p>\n");
        html.Append("<table><tr><th>Overall</th><th>Column shapes</th><th>Column pair trends</th></tr><tr>");
        foreach (var key in new[] { "overall", "column_shapes", "column_pair_trends" }) html.Append("<td class=\"score\">").Append(F(report[key])).Append("</td>");
        html.Append("</tr>");
        if (report["baseline"] is JsonObject baseline)
        {
            html.Append("<tr>");
            foreach (var key in new[] { "overall", "column_shapes", "column_pair_trends" }) html.Append("<td>").Append(F(baseline[key])).Append("</td>");
            html.Append("</tr><tr><td colspan=\"3\"><small>second row: ").Append(E(baseline["method"]!.GetValue<string>())).Append("</small></td></tr>");
        }
        html.Append("</table>\n<p>").Append(E(string.Create(CultureInfo.InvariantCulture,
            $"{report["synthetic_rows_scored"]} synthetic rows of a {report["model"]} model scored (of {report["synthetic_rows"]}) against {report["real_rows"]} training rows."))).Append("</p>\n");
        if (report["assessment"] is JsonObject assessment)
        {
            var notes = assessment["notes"]!.AsArray();
            html.Append("<h2>Assessment</h2><p>").Append(assessment["meets_targets"]!.GetValue<bool>()
                ? "The rows meet the targets (column shapes ≥ 0.95, pair trends ≥ 0.90, no rule broken)."
                : "The rows do not meet the targets (column shapes ≥ 0.95, pair trends ≥ 0.90, no rule broken):").Append("</p>");
            if (notes.Count > 0)
            {
                html.Append("<ul>");
                foreach (var note in notes) html.Append("<li>").Append(E(note!.GetValue<string>())).Append("</li>");
                html.Append("</ul>\n");
            }
        }
        html.Append("<h2>Columns</h2><table><tr><th>Column</th><th>Metric</th><th>Score</th><th>Null rate (real)</th><th>Null rate (synthetic)</th></tr>");
        foreach (var c in report["columns"]!.AsArray())
            html.Append("<tr><td>").Append(E(c!["column"]!.GetValue<string>())).Append("</td><td>").Append(E(c["metric"]!.GetValue<string>()))
                .Append("</td><td").Append(Low(c["score"])).Append('>').Append(F(c["score"])).Append("</td><td>").Append(F(c["real_null_rate"]))
                .Append("</td><td>").Append(F(c["synthetic_null_rate"])).Append("</td></tr>");
        html.Append("</table>\n<h2>Weakest pairs</h2><table><tr><th>Column 1</th><th>Column 2</th><th>Metric</th><th>Score</th><th>Real ρ</th><th>Synthetic ρ</th></tr>");
        foreach (var p in report["worst_pairs"]!.AsArray())
            html.Append("<tr><td>").Append(E(p!["column_1"]!.GetValue<string>())).Append("</td><td>").Append(E(p["column_2"]!.GetValue<string>()))
                .Append("</td><td>").Append(E(p["metric"]!.GetValue<string>())).Append("</td><td").Append(Low(p["score"])).Append('>').Append(F(p["score"]))
                .Append("</td><td>").Append(F(p["real_correlation"])).Append("</td><td>").Append(F(p["synthetic_correlation"])).Append("</td></tr>");
        html.Append("</table>\n");
        if (report["constraints"] is JsonArray { Count: > 0 } constraints)
        {
            html.Append("<h2>Rules</h2><p>Rules every real row obeys, and the synthetic rows that break them (the goal is 0).</p><table><tr><th>Rule</th><th>Violations</th></tr>");
            foreach (var c in constraints)
                html.Append("<tr><td>").Append(E(c!["rule"]!.GetValue<string>())).Append("</td><td>").Append(c["violations"]!.GetValue<long>()).Append("</td></tr>");
            html.Append("</table>\n");
        }
        var notModelled = report["not_modelled"]!.AsArray();
        if (notModelled.Count > 0)
        {
            html.Append("<h2>Regenerated columns</h2><p>Identifiers, free text and personal data are not learned: they are regenerated in the real column's pattern and never copied, so they are not scored.</p><ul>");
            foreach (var c in notModelled) html.Append("<li>").Append(E(c!["column"]!.GetValue<string>())).Append(" (").Append(E(c["semantic_type"]!.GetValue<string>())).Append(")</li>");
            html.Append("</ul>\n");
        }
        html.Append("<p><small>").Append(Version).Append(" · every pair's score is in quality-report.json</small></p></body></html>\n");
        return html.ToString();
    }

    private static string Low(JsonNode? score) => score is JsonValue v && v.GetValue<double>() < 0.8 ? " class=\"low\"" : "";

    private static string F(JsonNode? value) => value is JsonValue v ? v.GetValue<double>().ToString("0.000", CultureInfo.InvariantCulture) : "–";

}
