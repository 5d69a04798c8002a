using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RadMah.Engine.Analysis.Report;

namespace RadMah.Engine.Tests.Analysis;

public class HtmlReportTests
{
    private static byte[] Orders()
    {
        var csv = new StringBuilder("order_id,amount,status,placed_at\n");
        for (var i = 0; i < 500; i++) csv.Append(CultureInfo.InvariantCulture, $"o{i:D4},{10 + i % 37 * 1.5:F2},{(i % 3 == 0 ? "new" : "paid")},2024-03-{1 + i % 28:D2}\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task The_same_profile_renders_to_the_same_bytes_however_many_charts_were_drawn_before()
    {
        var profile = await Profiles.OfAsync(Orders(), "orders.csv");
        var first = HtmlReport.Render(profile);
        // Charts drawn in between advance ScottPlot's process-wide clip-path counter.
        HtmlReport.Render(await Profiles.OfAsync(Orders(), "other.csv"));
        var second = HtmlReport.Render(profile);
        Assert.Equal(first, second);
        var clipIds = Regex.Matches(first, @"id=""(clip\d+)""").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(clipIds);
        Assert.Equal(clipIds.Length, clipIds.Distinct().Count());
        Assert.All(clipIds, id => Assert.Contains($"url(#{id})", first));
    }
}
