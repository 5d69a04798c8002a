using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Analysis.Report;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using ScottPlot;
using static RadMah.Engine.Synthesis.Reports.ReportPage;

namespace RadMah.Engine.Synthesis.Reports;

/// <summary>
/// training-report.json and .html: what was learned from which rows. For a copula, each modelled
/// column's marginal (its family and KS statistic against the training values, or its categories'
/// shares) drawn over the training histogram, and the correlation matrix as a heat map; for a neural
/// model, the loss curves per epoch, and for it and a copula per group each column's real distribution
/// against rows drawn from the model. Both list the rules found and the columns regenerated instead. Charts are inline SVG
/// (ScottPlot), so the page needs no network.
/// </summary>
public static class TrainingReport
{
    public const string Version = "radmah.training/1";
    private const int Bins = 30;

    public static JsonObject Json(SynthesisModel model)
    {
        var columns = new JsonArray();
        var m = 0;
        foreach (var codec in model.Codecs)
        {
            var entry = new JsonObject { ["column"] = codec.Name, ["semantic_type"] = codec.SemanticType, ["codec"] = codec.Kind.ToString().ToLowerInvariant() };
            if (!codec.IsModelled)
            {
                entry["model"] = "regenerated";
                entry["generator"] = codec.Generator!.Generator;
            }
            else if (model.Copula is null)
            {
                entry["model"] = model.Family;
                m++;
            }
            else
            {
                switch (model.Copula.Columns[m++])
                {
                    case ContinuousColumn c:
                        entry["model"] = "continuous";
                        entry["family"] = c.Marginal.Family;
                        entry["ks_statistic"] = Math.Round(c.Marginal.KsStatistic, 6);
                        entry["min"] = c.Marginal.Min;
                        entry["max"] = c.Marginal.Max;
                        entry["null_rate"] = Math.Round(c.NullRate, 6);
                        break;
                    case DiscreteColumn d:
                        entry["model"] = "discrete";
                        entry["values"] = d.Intervals.Count;
                        entry["null_rate"] = Math.Round(d.NullRate, 6);
                        break;
                }
            }
            columns.Add(entry);
        }
        var t = model.Training;
        var json = new JsonObject
        {
            ["report"] = Version,
            ["family"] = model.Family,
            ["input"] = new JsonObject { ["name"] = t.Name, ["content_hash"] = t.ContentHash, ["format"] = t.Format },
            ["rows_read"] = t.RowsRead,
            ["training_rows"] = t.TrainingRows,
            ["holdout_rows"] = t.HoldoutRows,
            ["holdout_fraction"] = t.HoldoutFraction,
            ["sampled"] = t.Sampled,
            ["seed"] = t.Seed,
            ["columns"] = columns,
            ["constraints"] = new JsonArray([.. model.Model.Rules.Select(r => (JsonNode)new JsonObject { ["kind"] = r.Kind, ["rule"] = r.Describe() })]),
        };
        if (model.Copula is { } copula)
        {
            var names = DimensionNames(copula);
            var matrix = new JsonArray();
            for (var i = 0; i < names.Count; i++)
            {
                var row = new JsonArray();
                for (var j = 0; j < names.Count; j++) row.Add(Math.Round(copula.Correlation[i, j], 6));
                matrix.Add(row);
            }
            json["correlation"] = new JsonObject
            {
                ["dimensions"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
                ["matrix"] = matrix,
            };
            // Their rows and columns are 0: their values are drawn given the other scores, not through a correlation. Listed only
            // when there are some, so the report of a copula without them keeps the bytes it had before they existed.
            var drawn = copula.Columns.OfType<DiscreteColumn>().Where(c => c.Discriminant is not null).Select(c => (JsonNode)c.Name).ToArray();
            if (drawn.Length > 0) json["correlation"]!["drawn_given_the_others"] = new JsonArray(drawn);
        }
        if (model.Model.Sampler is GapCopula { Gaps: var gaps })
            json["gaps"] = new JsonArray([.. gaps.Select(g => (JsonNode)new JsonObject { ["lows"] = new JsonArray([.. g.Lows.Select(l => (JsonNode)l)]), ["high"] = g.High })]);
        if (GapCopula.Under(model.Model.Sampler) is GroupedCopula grouped)
            json["groups"] = new JsonObject
            {
                ["grouped_by"] = grouped.GroupedBy,
                ["groups"] = new JsonArray([.. grouped.Groups.Select((_, g) => (JsonNode)new JsonObject
                {
                    ["values"] = new JsonArray([.. grouped.ValuesOf(g).Select(v => (JsonNode?)v)]),
                    ["training_rows"] = grouped.TrainingRows[g],
                })]),
            };
        if (model.Hyperparameters.Count > 0)
            json["hyperparameters"] = new JsonObject(model.Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
        if (model.LossCurves.Count > 0)
        {
            json["epochs"] = model.LossCurves.Values.Max(c => c.Count);
            json["loss_curves"] = new JsonObject(model.LossCurves.OrderBy(l => l.Key, StringComparer.Ordinal)
                .Select(l => KeyValuePair.Create(l.Key, (JsonNode?)new JsonArray([.. l.Value.Select(v => (JsonNode)Math.Round(v, 6))]))));
        }
        return json;
    }

    /// <summary>The copula's dimensions: a column, and "column (null)" for a nullable column's null indicator.</summary>
    public static IReadOnlyList<string> DimensionNames(GaussianCopula copula)
    {
        var names = new List<string>();
        foreach (var column in copula.Columns)
        {
            names.Add(column.Name);
            if (column.Dimensions == 2) names.Add(column.Name + " (null)");
        }
        return names;
    }

    public static string Html(SynthesisModel model, TrainingTable table)
    {
        var html = ReportPage.Begin($"Training report: {model.Family} on {model.Training.Name}");
        var t = model.Training;
        html.Append("<p>").Append(E(string.Create(CultureInfo.InvariantCulture,
            $"{t.TrainingRows:N0} training rows and {t.HoldoutRows:N0} held out ({t.HoldoutFraction:P0}, seed {t.Seed}) of {t.RowsRead:N0} read{(t.Sampled ? " (a seeded sample: the table is larger than the training bounds)" : "")}; input {t.ContentHash}.")))
            .Append("</p>\n<h2>Columns</h2><table><tr><th>Column</th><th>Type</th><th>Model</th><th>Detail</th></tr>");
        var m = 0;
        var charts = new StringBuilder();
        // A model without closed-form marginals is drawn from: its rows' distribution over the real one.
        var sampled = model.Copula is null
            ? ModelSampler.SampleModelled(model, t.Seed, Math.Min(ComparedRows, Math.Max(1, t.TrainingRows)), 1, CancellationToken.None)
            : null;
        foreach (var codec in model.Codecs)
        {
            html.Append("<tr><td>").Append(E(codec.Name)).Append("</td><td>").Append(E(codec.SemanticType)).Append("</td><td>");
            if (!codec.IsModelled)
            {
                html.Append("regenerated</td><td>").Append(E(codec.Generator!.Generator)).Append(" generator; never copied</td></tr>");
                continue;
            }
            var real = table.Training[m];
            if (model.Copula is null)
            {
                html.Append(E(model.Family)).Append("</td><td>").Append(E(string.Create(CultureInfo.InvariantCulture, $"nulls {real.NullCount / (double)Math.Max(1, real.Length):P1}")));
                charts.Append(SampledChart(real, sampled![m++]));
                html.Append("</td></tr>");
                continue;
            }
            var column = model.Copula.Columns[m++];
            switch (column)
            {
                case ContinuousColumn c:
                    html.Append(E(c.Marginal.Family)).Append("</td><td>").Append(E(string.Create(CultureInfo.InvariantCulture, $"KS {c.Marginal.KsStatistic:0.0000}; nulls {c.NullRate:P1}")));
                    charts.Append(ContinuousChart(c, (NumericColumn)real));
                    break;
                case DiscreteColumn d:
                    html.Append("categories</td><td>").Append(E(string.Create(CultureInfo.InvariantCulture, $"{d.Intervals.Count} values; nulls {d.NullRate:P1}")));
                    charts.Append(DiscreteChart(d));
                    break;
            }
            html.Append("</td></tr>");
        }
        html.Append("</table>\n<h2>Rules every real row obeys</h2>");
        if (model.Model.Rules.Count == 0) html.Append("<p>None found with enough support to rule out chance.</p>");
        else
        {
            html.Append("<p>Found in the training rows and kept in every synthetic row.</p><ul>");
            foreach (var rule in model.Model.Rules) html.Append("<li>").Append(E(rule.Describe())).Append("</li>");
            html.Append("</ul>");
        }
        if (model.Copula is { } copula)
        {
            html.Append("\n<h2>Fitted marginals</h2><div class=\"charts\">").Append(charts).Append("</div>\n");
            html.Append("<h2>Correlation of the normal scores</h2>").Append(Heatmap(copula));
        }
        else
        {
            if (model.Model.Sampler is GapCopula { Gaps: var gaps })
                html.Append("\n<h2>Columns drawn as a gap above another</h2><p>The table keeps these inequalities; each higher column is modelled as its gap above the largest of its lower ones and drawn as that + gap, so the rules hold without redrawing rows:</p><ul>")
                    .Append(string.Concat(gaps.Select(g => "<li>" + E(g.Describe() + " ≥ 0") + "</li>"))).Append("</ul>\n");
            if (GapCopula.Under(model.Model.Sampler) is GroupedCopula grouped)
                html.Append("\n<h2>One copula per group</h2><p>").Append(E(grouped.GroupedBy is { } by
                        ? $"The other columns depend on {by}, so each group of its values has a Gaussian copula of its own, drawn at its share of the training rows:"
                        : "The rows fall into clusters no column names (a Gaussian mixture of their normal scores), so each cluster has a Gaussian copula of its own, drawn at its share of the training rows:"))
                    .Append("</p><ul>").Append(string.Concat(grouped.Groups.Select((_, g) => "<li>" + E(string.Create(CultureInfo.InvariantCulture,
                        $"{(grouped.GroupedBy is null ? $"cluster {g + 1}" : string.Join(", ", grouped.ValuesOf(g).Select(v => v ?? "null")))}: {grouped.TrainingRows[g]:N0} rows")) + "</li>"))).Append("</ul>\n");
            if (model.LossCurves.Count > 0)
                html.Append("\n<h2>Loss per epoch</h2><div class=\"charts\">").Append(LossChart(model.LossCurves)).Append("</div>\n");
            html.Append("<h2>Columns: training rows against ").Append(sampled![0].Length.ToString("N0", CultureInfo.InvariantCulture))
                .Append(" rows drawn from the model</h2><div class=\"charts\">").Append(charts).Append("</div>\n");
        }
        html.Append("<p><small>").Append(Version).Append(" · the machine-readable report is training-report.json</small></p></body></html>\n");
        return HtmlReport.StableClipIds(html.ToString());
    }

    private static string ContinuousChart(ContinuousColumn column, NumericColumn real)
    {
        var values = real.Values.Where(v => !double.IsNaN(v)).ToArray();
        var plot = new Plot();
        plot.Title(column.Name);
        if (values.Length > 0)
        {
            var (min, max) = (values.Min(), values.Max());
            var width = max > min ? (max - min) / Bins : 1;
            var counts = new double[Bins];
            foreach (var v in values) counts[Math.Min(Bins - 1, (int)((v - min) / width))]++;
            var bars = counts.Select((c, i) => new Bar { Position = min + (i + 0.5) * width, Value = c / values.Length, Size = width * 0.95, FillColor = Colors.SteelBlue.WithAlpha(0.6) }).ToList();
            plot.Add.Bars(bars);
            // The model's share of each bin, from its quantile table.
            var xs = new double[Bins];
            var ys = new double[Bins];
            for (var i = 0; i < Bins; i++)
            {
                xs[i] = min + (i + 0.5) * width;
                ys[i] = ShareBetween(column.Marginal, min + i * width, min + (i + 1) * width, i == Bins - 1);
            }
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"{column.Marginal.Family} (fitted)";
            line.Color = Colors.OrangeRed;
            plot.ShowLegend();
        }
        plot.YLabel("share of rows");
        return plot.GetSvgXml(420, 280);
    }

    /// <summary>The model's probability of a value in [from, to), read off its quantile table.</summary>
    private static double ShareBetween(Marginal marginal, double from, double to, bool last)
    {
        double Cdf(double x)
        {
            var q = marginal.Quantiles;
            if (x <= q[0]) return 0;
            if (x >= q[^1]) return 1;
            var hi = Array.BinarySearch(q, x);
            if (hi < 0) hi = ~hi;
            var lo = hi - 1;
            var fraction = q[hi] > q[lo] ? (x - q[lo]) / (q[hi] - q[lo]) : 0;
            return (lo + fraction) / Marginal.Knots;
        }
        return (last ? 1 : Cdf(to)) - Cdf(from);
    }

    private static string DiscreteChart(DiscreteColumn column)
    {
        var plot = new Plot();
        plot.Title(column.Name);
        var count = Math.Min(column.Intervals.Count, 20);
        var labels = new string[count];
        var bars = new List<Bar>();
        for (var i = 0; i < count; i++)
        {
            var share = column.Intervals.Upper[i] - column.Intervals.Lower(i);
            labels[i] = column.Categories is { } categories ? Shorten(categories[i] ?? "(null)")
                : column.Numbers![i].ToString("G6", CultureInfo.InvariantCulture);
            bars.Add(new Bar { Position = i, Value = share, FillColor = Colors.SteelBlue });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, count).Select(i => (double)i)], labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("share of rows");
        return plot.GetSvgXml(420, 300);
    }

    private static string Heatmap(GaussianCopula copula)
    {
        var names = DimensionNames(copula);
        var n = names.Count;
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.MellowRainbow();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var y = n - 1 - i;
                var value = copula.Correlation[i, j];
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor((value + 1) / 2);
                cell.LineWidth = 0;
                if (n <= 16)
                {
                    var label = plot.Add.Text(value.ToString("0.00", CultureInfo.InvariantCulture), j, y);
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontSize = 10;
                }
            }
        }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. names.Select(Shorten)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 20 + 7 * names.Max(x => Math.Min(x.Length, 24));
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. positions.Reverse()], [.. names.Select(Shorten)]);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Grid.IsVisible = false;
        plot.Title("Correlation (−1 to 1)");
        var size = Math.Clamp(120 + 45 * n, 360, 900);
        return plot.GetSvgXml(size + 200, size + 40);
    }

    /// <summary>Rows drawn from a neural model for the report's comparison charts.</summary>
    private const int ComparedRows = 5_000;

    private static string LossChart(IReadOnlyDictionary<string, IReadOnlyList<double>> curves)
    {
        var plot = new Plot();
        plot.Title("Loss");
        foreach (var (name, values) in curves.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (values.Count == 0) continue;
            var line = plot.Add.Scatter(Enumerable.Range(1, values.Count).Select(i => (double)i).ToArray(), values.ToArray());
            line.LegendText = name;
            line.MarkerSize = values.Count > 50 ? 0 : 3;
        }
        plot.ShowLegend();
        plot.XLabel("epoch");
        return plot.GetSvgXml(560, 300);
    }

    /// <summary>Real against synthetic: histograms over the same bins for numbers, shares for categories.</summary>
    private static string SampledChart(TableColumn real, TableColumn synthetic)
    {
        var plot = new Plot();
        plot.Title(real.Name);
        switch (real, synthetic)
        {
            case (NumericColumn r, NumericColumn s):
            {
                var values = r.Values.Where(v => !double.IsNaN(v)).ToArray();
                if (values.Length == 0) break;
                var (min, max) = (values.Min(), values.Max());
                var width = max > min ? (max - min) / Bins : 1;
                double[] Shares(IEnumerable<double> xs)
                {
                    var counts = new double[Bins];
                    var n = 0;
                    foreach (var v in xs.Where(v => !double.IsNaN(v)))
                    {
                        counts[Math.Clamp((int)Math.Floor((v - min) / width), 0, Bins - 1)]++;
                        n++;
                    }
                    return [.. counts.Select(c => c / Math.Max(1, n))];
                }
                var centres = Enumerable.Range(0, Bins).Select(i => min + (i + 0.5) * width).ToArray();
                plot.Add.Bars(Shares(values).Select((v, i) => new Bar { Position = centres[i], Value = v, Size = width * 0.95, FillColor = Colors.SteelBlue.WithAlpha(0.6) }).ToList());
                var line = plot.Add.Scatter(centres, Shares(s.Values));
                line.LegendText = "synthetic";
                line.Color = Colors.OrangeRed;
                plot.ShowLegend();
                break;
            }
            case (CategoricalColumn r, CategoricalColumn s):
            {
                var count = Math.Min(r.Categories.Length, 20);
                double Share(CategoricalColumn c, int code) => c.Codes.Count(x => x == code) / (double)Math.Max(1, c.Length);
                var bars = new List<Bar>();
                for (var i = 0; i < count; i++)
                {
                    bars.Add(new Bar { Position = i - 0.2, Value = Share(r, i), Size = 0.4, FillColor = Colors.SteelBlue });
                    bars.Add(new Bar { Position = i + 0.2, Value = Share(s, i), Size = 0.4, FillColor = Colors.OrangeRed });
                }
                plot.Add.Bars(bars);
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, count).Select(i => (double)i)],
                    [.. r.Categories.Take(count).Select(Shorten)]);
                plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
                plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
                break;
            }
        }
        plot.YLabel("share of rows (blue: real, red: synthetic)");
        return plot.GetSvgXml(420, 300);
    }

    private static string Shorten(string value) => value.Length <= 24 ? value : value[..23] + "…";

}
