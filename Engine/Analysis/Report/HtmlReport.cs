using System.Globalization;
using System.Net;
using System.Text;
using RadMah.Engine.Analysis.Profiling;
using ScottPlot;

namespace RadMah.Engine.Analysis.Report;

/// <summary>
/// The profile as one self-contained HTML page for people: an overview, the column table, the
/// association heat map, and per column its statistics with a histogram or a bar chart of its most
/// frequent values. Charts are drawn by ScottPlot as inline SVG, so the page needs no network.
/// </summary>
public static partial class HtmlReport
{
    private const int ChartWidth = 560;
    private const int ChartHeight = 260;

    public static string Render(DatasetProfile profile)
    {
        var html = new StringBuilder();
        var title = $"Profile of {profile.Dataset.Name}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ddd}")
            .Append("table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;font-size:.9rem}th{background:#f5f5f5}")
            .Append(".column{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}.pii{color:#b00;font-weight:600}.warn{color:#a60}code{font-size:.85rem}")
            .Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        Overview(html, profile);
        ColumnTable(html, profile);
        Associations(html, profile);
        foreach (var column in profile.Columns) Column(html, column, profile.Table.Rows);
        html.Append("<p><small>").Append(E(DatasetProfile.Version)).Append(" · the machine-readable profile is profile.json</small></p></body></html>\n");
        return StableClipIds(html.ToString());
    }

    /// <summary>
    /// ScottPlot names each SVG clip path from a counter shared by the whole process, so the same
    /// profile drawn twice would differ in those names. They are renamed here in order of first use,
    /// still unique within the page, so a rerun writes the same bytes.
    /// </summary>
    internal static string StableClipIds(string page)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(page, m => names.TryGetValue(m.Value, out var name) ? name : names[m.Value] = $"clip{names.Count}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=id=""|url\(#)cl_[0-9a-f]+(?=["")])")]
    private static partial System.Text.RegularExpressions.Regex ClipId();

    private static void Overview(StringBuilder html, DatasetProfile p)
    {
        html.Append("<table>");
        Row(html, "Content hash", $"<code>{E(p.Dataset.ContentHash)}</code>", raw: true);
        Row(html, "Format", p.Dataset.Format);
        Row(html, "Size", $"{p.Dataset.SizeBytes:N0} bytes");
        Row(html, "Rows", $"{p.Table.Rows:N0}");
        Row(html, "Columns", $"{p.Table.ColumnCount:N0}");
        Row(html, "Duplicate rows", $"{p.Table.DuplicateRows.Count:N0}{(p.Table.DuplicateRows.Exact ? "" : " (estimated)")}");
        Row(html, "Candidate primary keys", p.Table.CandidatePrimaryKeys.Count == 0 ? "none" : string.Join(", ", p.Table.CandidatePrimaryKeys.Select(k => k.Column + (k.Exact ? "" : " (estimated)"))));
        if (p.Table.CandidateForeignKeys.Count > 0)
            Row(html, "Candidate foreign keys", string.Join(", ", p.Table.CandidateForeignKeys.Select(k => $"{k.Dataset}.{k.Column} → {k.ReferencesDataset}.{k.ReferencesColumn} ({k.Containment:P1})")));
        foreach (var (key, value) in p.Reader) Row(html, "Read: " + key, value);
        html.Append("</table>\n");
        if (p.Warnings.Count > 0)
        {
            html.Append("<ul class=\"warn\">");
            foreach (var w in p.Warnings) html.Append("<li>").Append(E(w)).Append("</li>");
            html.Append("</ul>\n");
        }
    }

    private static void ColumnTable(StringBuilder html, DatasetProfile p)
    {
        html.Append("<h2>Columns</h2><table><tr><th>#</th><th>Column</th><th>Type</th><th>Confidence</th><th>Missing</th><th>Distinct</th><th>Personal data</th></tr>");
        foreach (var c in p.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{c.Index + 1}</td><td><a href=\"#col-{c.Index}\">{E(c.Name)}</a></td><td>{E(c.SemanticType)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{c.Confidence:P1}</td><td>{c.NullRate:P1}</td><td>{c.Distinct.Count:N0}{(c.Distinct.Exact ? "" : "~")}</td>");
            html.Append("<td class=\"pii\">").Append(E(string.Join(", ", c.Pii))).Append("</td></tr>");
        }
        html.Append("</table>\n");
    }

    private static void Associations(StringBuilder html, DatasetProfile p)
    {
        var associations = p.Table.Associations;
        html.Append("<h2>Associations</h2>");
        if (associations.Count == 0)
        {
            html.Append("<p>No pair of numeric, temporal or categorical columns to compare.</p>\n");
            return;
        }
        var names = associations.SelectMany(a => new[] { a.A, a.B }).Distinct().OrderBy(n => p.Columns.First(c => c.Name == n).Index).ToList();
        var n = names.Count;
        var matrix = new double[n, n];
        for (var i = 0; i < n; i++) matrix[i, i] = 1;
        foreach (var a in associations)
        {
            var (i, j) = (names.IndexOf(a.A), names.IndexOf(a.B));
            // Strength 0..1 whatever the method (Pearson's sign is shown in the table).
            matrix[i, j] = matrix[j, i] = Math.Abs(a.Value);
        }
        // Drawn as one vector cell per pair (crisp at any zoom), first column at the top left.
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var y = n - 1 - i;
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor(matrix[i, j]);
                cell.LineWidth = 0;
                if (n <= 16)
                {
                    var label = plot.Add.Text(matrix[i, j].ToString("0.00", CultureInfo.InvariantCulture), j, y);
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontSize = 10;
                    label.LabelFontColor = matrix[i, j] > 0.6 ? Colors.Black : Colors.White;
                }
            }
        }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. names]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 20 + 7 * names.Max(x => Math.Min(x.Length, 24));
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. positions.Reverse()], [.. names]);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Grid.IsVisible = false;
        plot.Title("Association strength (0 to 1)");
        var size = Math.Clamp(120 + 45 * n, 360, 900);
        html.Append(plot.GetSvgXml(size + 200, size + 40));
        html.Append("<table><tr><th>A</th><th>B</th><th>Method</th><th>Value</th><th>Spearman</th></tr>");
        foreach (var a in associations.OrderByDescending(a => Math.Abs(a.Value)).ThenBy(a => a.A, StringComparer.Ordinal).ThenBy(a => a.B, StringComparer.Ordinal).Take(30))
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a.A)}</td><td>{E(a.B)}</td><td>{E(a.Method)}</td><td>{a.Value:F3}</td><td>{(a.Spearman is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "")}</td></tr>");
        html.Append(CultureInfo.InvariantCulture, $"</table><p><small>On {p.Table.AssociationRows:N0} rows{(p.Table.AssociationRows < p.Table.Rows ? " (a uniform sample)" : "")}.</small></p>\n");
    }

    private static void Column(StringBuilder html, ColumnProfile c, long rows)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"col-{c.Index}\">{E(c.Name)} <small>{E(c.SemanticType)}</small></h2><div class=\"column\"><table>");
        Row(html, "Physical type", c.PhysicalType);
        Row(html, "Confidence", c.Confidence.ToString("P1", CultureInfo.InvariantCulture));
        Row(html, "Missing", $"{c.Nulls:N0} ({c.NullRate:P2})");
        if (c.MissingSpellings is { Count: > 0 } spellings) Row(html, "Missing spelled", string.Join(", ", spellings.Select(s => $"\"{s.Key}\" × {s.Value:N0}")));
        if (c.Invalid > 0) Row(html, "Not fitting the type", $"{c.Invalid:N0}");
        Row(html, "Distinct", $"{c.Distinct.Count:N0}{(c.Distinct.Exact ? "" : " (HyperLogLog estimate)")}");
        if (c.Pii.Count > 0) Row(html, "Personal data", $"<span class=\"pii\">{E(string.Join(", ", c.Pii))}</span>", raw: true);
        if (c.Numeric is { } n)
        {
            Row(html, "Min / max", $"{F(n.Min)} / {F(n.Max)}");
            Row(html, "Mean ± std", $"{F(n.Mean)} ± {F(n.Std)}");
            Row(html, "Quantiles", string.Join(", ", n.Quantiles.Select(q => $"p{double.Parse(q.Key, CultureInfo.InvariantCulture) * 100:0}: {F(q.Value)}")) + (n.Exact ? "" : " (KLL sketch)"));
        }
        if (c.Temporal is { } t)
        {
            Row(html, "Formats", string.Join(", ", t.Formats.Select(f => $"{f.Format} ({f.Share:P0})")));
            Row(html, "Range", $"{t.Min} … {t.Max}");
            Row(html, "Median", t.Quantiles.GetValueOrDefault("0.5") ?? "");
        }
        if (c.Boolean is { } b) Row(html, "True / false", $"{b.True:N0} / {b.False:N0} ({b.TrueRate:P1} true)");
        if (c.Length is { } l) Row(html, "Length", $"{l.Min}–{l.Max} characters, mean {l.Mean:F1}");
        if (c.Patterns is { Count: > 0 } patterns) Row(html, "Shapes", string.Join(", ", patterns.Take(5).Select(s => $"{s.Value} ({s.Frequency:P0})")));
        html.Append("</table>");
        var chart = Chart(c);
        if (chart is not null) html.Append("<div>").Append(chart).Append("</div>");
        html.Append("</div>\n");
    }

    /// <summary>A histogram for numbers and instants, a bar chart of the most frequent values otherwise.</summary>
    private static string? Chart(ColumnProfile c)
    {
        var histogram = c.Numeric?.Histogram ?? c.Temporal?.Histogram;
        if (histogram is { Counts.Count: > 0 })
        {
            var plot = new Plot();
            var temporal = c.Temporal is not null && c.Numeric is null;
            var bars = new List<Bar>();
            for (var i = 0; i < histogram.Counts.Count; i++)
            {
                var (from, to) = (histogram.Edges[i], histogram.Edges[i + 1]);
                if (temporal) (from, to) = (ToOaDate(from), ToOaDate(to));
                bars.Add(new Bar { Position = (from + to) / 2, Value = histogram.Counts[i], Size = (to - from) * 0.95, FillColor = Colors.SteelBlue });
            }
            plot.Add.Bars(bars);
            if (temporal) plot.Axes.DateTimeTicksBottom();
            plot.Axes.Margins(bottom: 0);
            plot.Title("Distribution");
            plot.YLabel("rows");
            return plot.GetSvgXml(ChartWidth, ChartHeight);
        }
        // A bar chart of the most frequent values says something only where values repeat.
        if (c.TopValues.Count == 0 || c.SemanticType is not (SemanticTypes.Categorical or SemanticTypes.CountryCode or SemanticTypes.Boolean or SemanticTypes.PersonName)) return null;
        var top = c.TopValues.Take(12).ToList();
        var barPlot = new Plot();
        var positions = Enumerable.Range(0, top.Count).Select(i => (double)(top.Count - 1 - i)).ToArray();
        var chartBars = top.Select((v, i) => new Bar { Position = positions[i], Value = v.Count, FillColor = Colors.SteelBlue }).ToList();
        var series = barPlot.Add.Bars(chartBars);
        series.Horizontal = true;
        barPlot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. top.Select(v => Shorten(v.Value))]);
        barPlot.Axes.Margins(left: 0);
        barPlot.Title(c.TopValuesExact ? "Most frequent values" : "Most frequent values (approximate)");
        barPlot.XLabel("rows");
        return barPlot.GetSvgXml(ChartWidth, Math.Max(ChartHeight, 60 + 22 * top.Count));
    }

    private static double ToOaDate(double epochSeconds) => DateTime.UnixEpoch.AddSeconds(Math.Clamp(epochSeconds, -62_135_596_800, 253_402_300_799)).ToOADate();

    private static string Shorten(string value) => value.Length <= 24 ? value : value[..23] + "…";

    private static void Row(StringBuilder html, string name, string value, bool raw = false) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(raw ? value : E(value)).Append("</td></tr>");

    private static string F(double v) => Math.Abs(v) >= 1e6 || Math.Abs(v) < 1e-3 && v != 0 ? v.ToString("G6", CultureInfo.InvariantCulture) : v.ToString("#,##0.###", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
