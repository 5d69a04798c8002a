using System.Globalization;
using System.Text;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;
using ScottPlot;

namespace RadMah.Engine.Simulation.Output;

/// <summary>
/// overview.html: the main tags of each stage over the whole run, with every attack (red) and fault
/// (orange) window shaded. Samples are averaged into at most <see cref="MaxPoints"/> buckets as they
/// stream past, so the page costs the same for an hour or for weeks.
/// </summary>
internal sealed class OverviewPage
{
    public const int MaxPoints = 1500;

    private static readonly (string Stage, string[] Tags)[] Panels =
    [
        ("P1 raw water", ["LIT101", "FIT101", "MV101", "P101"]),
        ("P2 chemical dosing", ["FIT201", "AIT201", "AIT202", "AIT203"]),
        ("P3 ultrafiltration", ["LIT301", "FIT301", "DPIT301"]),
        ("P4 dechlorination", ["LIT401", "FIT401", "AIT402"]),
        ("P5 reverse osmosis", ["FIT502", "PIT501", "AIT504"]),
        ("P6 backwash", ["FIT601", "P602"]),
    ];

    private readonly long _bucketSize;
    private readonly int _buckets;
    private readonly int[] _tags = [.. Panels.SelectMany(p => p.Tags).Select(SwatTags.Index)];
    private readonly double[][] _sums;
    private readonly long[] _counts;

    public OverviewPage(long totalSamples)
    {
        _bucketSize = Math.Max(1, (totalSamples + MaxPoints - 1) / MaxPoints);
        _buckets = (int)((totalSamples + _bucketSize - 1) / _bucketSize);
        _sums = [.. _tags.Select(_ => new double[_buckets])];
        _counts = new long[_buckets];
    }

    public void Add(SampleBlock block)
    {
        for (var i = 0; i < block.Count; i++)
        {
            var bucket = (int)((block.FirstSample + i) / _bucketSize);
            _counts[bucket]++;
            for (var k = 0; k < _tags.Length; k++) _sums[k][bucket] += block.Number(i, _tags[k]);
        }
    }

    public byte[] Render(Scenario scenario, string contractDigest)
    {
        var hours = scenario.DurationMs > 3 * SimulationTime.Day ? 24.0 : 1.0;
        var unit = hours == 24 ? "days" : "hours";
        var xs = Enumerable.Range(0, _buckets).Select(b => (b + 0.5) * _bucketSize * scenario.SamplingPeriodMs / (hours * SimulationTime.Hour)).ToArray();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Plant overview</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}h2{border-bottom:1px solid #ddd}")
            .Append(".charts{display:flex;flex-wrap:wrap;gap:.5rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;font-size:.9rem}table{border-collapse:collapse}</style></head><body>\n")
            .Append("<h1>Simulated SWaT-like plant</h1>\n<p>Start ").Append(SimulationTime.FormatInstant(scenario.Start))
            .Append(", duration ").Append(SimulationTime.Describe(scenario.DurationMs))
            .Append(", one sample every ").Append(SimulationTime.Describe(scenario.SamplingPeriodMs))
            .Append(". Each point is the mean of ").Append(_bucketSize.ToString(CultureInfo.InvariantCulture)).Append(" sample(s). Contract ")
            .Append(contractDigest).Append(".</p>\n");
        if (scenario.Events.Count > 0)
        {
            html.Append("<table><tr><th>event</th><th>type</th><th>targets</th><th>start</th><th>duration</th></tr>\n");
            foreach (var e in scenario.Events)
                html.Append("<tr><td>").Append(System.Net.WebUtility.HtmlEncode(e.Id)).Append("</td><td>").Append(ScenarioEvent.NameOf(e.Type)).Append("</td><td>")
                    .Append(string.Join(", ", e.Targets)).Append("</td><td>").Append(SimulationTime.Describe(e.StartMs)).Append("</td><td>")
                    .Append(SimulationTime.Describe(e.DurationMs)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }
        var k = 0;
        foreach (var (stage, tags) in Panels)
        {
            html.Append("<h2>").Append(stage).Append("</h2><div class=\"charts\">\n");
            foreach (var name in tags)
            {
                var ys = new double[_buckets];
                for (var b = 0; b < _buckets; b++) ys[b] = _counts[b] > 0 ? _sums[k][b] / _counts[b] : double.NaN;
                html.Append(Chart(name, xs, ys, scenario, hours, unit)).Append('\n');
                k++;
            }
            html.Append("</div>\n");
        }
        html.Append("</body></html>\n");
        return Encoding.UTF8.GetBytes(Analysis.Report.HtmlReport.StableClipIds(html.ToString()));
    }

    private static string Chart(string name, double[] xs, double[] ys, Scenario scenario, double hours, string unit)
    {
        var plot = new Plot();
        var tag = SwatTags.All[SwatTags.Index(name)];
        plot.Title(tag.Unit.Length > 0 ? $"{name} ({tag.Unit})" : $"{name} (status)");
        foreach (var e in scenario.Events)
        {
            var span = plot.Add.HorizontalSpan(e.StartMs / (hours * SimulationTime.Hour), e.EndMs / (hours * SimulationTime.Hour));
            span.FillStyle.Color = (e.IsAttack ? Colors.Red : Colors.Orange).WithAlpha(0.2);
            span.LineStyle.Width = 0;
        }
        var line = plot.Add.Scatter(xs, ys);
        line.MarkerSize = 0;
        line.Color = Colors.SteelBlue;
        plot.XLabel(unit + " since start");
        return plot.GetSvgXml(440, 220);
    }
}
