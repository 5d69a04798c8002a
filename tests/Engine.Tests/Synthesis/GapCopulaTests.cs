using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>An inequality's higher column modelled as its gap above the lower one (<see cref="GapCopula"/>, synthesis revision 6).</summary>
public sealed class GapCopulaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Hospital stays: an admission date over five years, a discharge 0–60 days later (most stays short, a long tail), a daily
    /// low temperature and a high 2–9 degrees above it, and a reading taken after the high (a chain: low ≤ high ≤ peak).
    /// </summary>
    private static TableColumn[] Stays(int rows, ulong seed = 11)
    {
        var key = SplitMix64.SeedKey(seed);
        var admitted = new double[rows];
        var discharged = new double[rows];
        var low = new double[rows];
        var high = new double[rows];
        var peak = new double[rows];
        var ward = new string?[rows];
        string[] wards = ["cardiology", "surgery", "maternity"];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            admitted[i] = 18_000 + rng.NextBelow(1_800);
            discharged[i] = admitted[i] + Math.Min(60, Math.Floor(-4 * Math.Log(rng.NextDoubleNonZero())));
            low[i] = Math.Round(8 + 6 * rng.NextGaussian(), 1);
            high[i] = Math.Round(low[i] + 2 + 7 * rng.NextDouble(), 1);
            peak[i] = Math.Round(high[i] + 3 * rng.NextDouble(), 1);
            ward[i] = wards[rng.NextBelow(3)];
        }
        return
        [
            new NumericColumn("admitted", admitted, NumericRole.Date),
            new NumericColumn("discharged", discharged, NumericRole.Date),
            new NumericColumn("low_c", low, NumericRole.Decimal, 1),
            new NumericColumn("high_c", high, NumericRole.Decimal, 1),
            new NumericColumn("peak_c", peak, NumericRole.Decimal, 1),
            CategoricalColumn.FromValues("ward", ward),
        ];
    }

    private static double[] Values(IReadOnlyList<TableColumn> table, string name) => ((NumericColumn)table.First(c => c.Name == name)).Values;

    private static long Broken(IReadOnlyList<TableColumn> table, string low, string high) =>
        Values(table, low).Zip(Values(table, high)).LongCount(p => p.First > p.Second);

    /// <summary>The two-sample KS statistic.</summary>
    private static double Ks(double[] a, double[] b)
    {
        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        int i = 0, j = 0;
        double largest = 0;
        while (i < x.Length && j < y.Length)
        {
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v) i++;
            while (j < y.Length && y[j] == v) j++;
            largest = Math.Max(largest, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }
        return largest;
    }

    private static double[] Gaps(IReadOnlyList<TableColumn> table, string low, string high) =>
        [.. Values(table, low).Zip(Values(table, high)).Select(p => p.Second - p.First)];

    [Fact]
    public void Inequalities_are_drawn_as_gaps_that_hold_without_redrawing_and_keep_the_gaps_distribution()
    {
        var real = Stays(3_000);
        var rules = ConstraintDetector.Detect(real, 1, manyPairs: true);
        Assert.Contains(new InequalityRule("admitted", "discharged"), rules);
        Assert.Contains(new InequalityRule("high_c", "peak_c"), rules);

        var gapped = Assert.IsType<GapCopula>(GaussianCopulaFamily.Fit(real, 1, 2, CopulaFitting.InequalityGaps, rules, Ct));
        // A copula without gaps breaks the stay rule on about a third of its rows and peak ≥ high on about 4%: those become gaps
        // (peak above the larger of low and high). It keeps low ≤ high on its own (broken on 0.3%: the two are correlated about 0.95),
        // so high keeps its own marginal and the few rows that break it are drawn again.
        Assert.Equal(["discharged = admitted + gap", "peak_c = max(low_c, high_c) + gap"], gapped.Gaps.Select(g => g.Describe()));
        Assert.Equal([0, 1], gapped.Gaps.Select(g => g.Decimals));

        var key = SplitMix64.SeedKey(5);
        var drawn = gapped.Sample(0, 3_000, key);
        Assert.Equal(0, Broken(drawn, "admitted", "discharged"));
        Assert.Equal(0, Broken(drawn, "high_c", "peak_c"));
        Assert.Equal(0, Broken(drawn, "low_c", "peak_c"));
        Assert.InRange(Broken(drawn, "low_c", "high_c"), 0, 30);
        Assert.Equal(0, Broken(new ConstrainedModel(gapped, rules).Sample(0, 3_000, key), "low_c", "high_c"));

        // The revision before: each column drawn on its own, so a copula breaks the rules on many rows, and the rows kept once
        // the broken ones are redrawn have stays of another length.
        var separate = GaussianCopulaFamily.Fit(real, 1, 2, CopulaFitting.ZigguratScores, rules, Ct);
        Assert.IsNotType<GapCopula>(separate);
        Assert.True(Broken(separate.Sample(0, 3_000, key), "admitted", "discharged") > 150);
        var kept = new ConstrainedModel(separate, rules).Sample(0, 3_000, key);
        var realStays = Gaps(real, "admitted", "discharged");
        var gapStays = Ks(Gaps(new ConstrainedModel(gapped, rules).Sample(0, 3_000, key), "admitted", "discharged"), realStays);
        var keptStays = Ks(Gaps(kept, "admitted", "discharged"), realStays);
        Assert.True(gapStays < 0.05, $"KS of the stays drawn as gaps: {gapStays:F3}");
        Assert.True(gapStays < keptStays / 2, $"KS of the stays: gaps {gapStays:F3}, redrawn rows {keptStays:F3}");
        // Dates stay whole days and temperatures keep their one decimal.
        Assert.All(Values(drawn, "discharged"), d => Assert.Equal(Math.Floor(d), d));
        Assert.All(Values(drawn, "peak_c"), t => Assert.Equal(Math.Round(t, 1), t));
    }

    [Fact]
    public void A_gap_model_samples_the_same_bytes_again_and_after_a_json_round_trip()
    {
        var real = Stays(1_000);
        var rules = ConstraintDetector.Detect(real, 1, manyPairs: true);
        var model = GaussianCopulaFamily.Fit(real, 7, 1, CopulaFitting.InequalityGaps, rules, Ct);
        var json = model.ToJson();
        Assert.Equal(2, json["gaps"]!.AsArray().Count);
        var reread = new GaussianCopulaFamily().Read(JsonNode.Parse(json.ToJsonString())!.AsObject());
        Assert.Equal(json.ToJsonString(), reread.ToJson().ToJsonString());
        var key = SplitMix64.SeedKey(9);
        foreach (var column in new[] { "discharged", "peak_c" })
        {
            Assert.Equal(Values(model.Sample(4_096, 2_000, key), column), Values(reread.Sample(4_096, 2_000, key), column));
            Assert.Equal(Values(model.Redraw([3, 99, 12_345], key), column), Values(reread.Redraw([3, 99, 12_345], key), column));
        }
        Assert.Equal(model.ToJson().ToJsonString(), GaussianCopulaFamily.Fit(real, 7, 1, CopulaFitting.InequalityGaps, rules, Ct).ToJson().ToJsonString());
    }

    [Fact]
    public void From_revision_9_a_column_drawn_as_a_gap_keeps_its_own_distribution_in_each_block_and_every_rule_still_holds()
    {
        var real = Stays(3_000);
        var rules = ConstraintDetector.Detect(real, 1, manyPairs: true);
        var before = Assert.IsType<GapCopula>(GaussianCopulaFamily.Fit(real, 1, 2, CopulaFitting.NullClusters, rules, Ct));
        var after = Assert.IsType<GapCopula>(GaussianCopulaFamily.Fit(real, 1, 2, CopulaFitting.MarginalsRefined, rules, Ct));
        Assert.All(before.Gaps, g => Assert.Null(g.HighMarginal));
        Assert.All(after.Gaps, g => Assert.NotNull(g.HighMarginal));
        Assert.DoesNotContain("high_marginal", before.ToJson().ToJsonString(), StringComparison.Ordinal);

        var key = SplitMix64.SeedKey(5);
        var drawnBefore = before.Sample(0, 3_000, key);
        var drawnAfter = after.Sample(0, 3_000, key);
        foreach (var (low, high) in new[] { ("admitted", "discharged"), ("high_c", "peak_c"), ("low_c", "peak_c") })
            Assert.Equal(0, Broken(drawnAfter, low, high));
        // A peak drawn as the larger of low and high plus a gap is a sum the copula only approximates; moved onto the peak's own
        // distribution, in its order, it is as close to the real peaks as a column the copula draws itself.
        var ksBefore = Ks(Values(drawnBefore, "peak_c"), Values(real, "peak_c"));
        var ksAfter = Ks(Values(drawnAfter, "peak_c"), Values(real, "peak_c"));
        Assert.True(ksAfter < 0.03 && ksAfter < ksBefore, $"KS of the peaks: {ksBefore:F3} → {ksAfter:F3}");
        // The order is kept: the peaks still follow the highs.
        var rank = Values(drawnAfter, "high_c").Zip(Values(drawnAfter, "peak_c")).ToArray();
        var concordant = 0;
        for (var i = 1; i < rank.Length; i++) concordant += Math.Sign(rank[i].First - rank[i - 1].First) == Math.Sign(rank[i].Second - rank[i - 1].Second) ? 1 : 0;
        Assert.True(concordant > 0.8 * rank.Length, $"{concordant} of {rank.Length} neighbouring pairs in the same order");

        // Rows drawn one by one are no block: they stay the larger value + gap. A JSON round trip samples the same values.
        var reread = new GaussianCopulaFamily().Read(JsonNode.Parse(after.ToJson().ToJsonString())!.AsObject());
        Assert.Equal(Values(drawnAfter, "peak_c"), Values(reread.Sample(0, 3_000, key), "peak_c"));
        Assert.Equal(Values(after.Redraw([3, 99, 12_345], key), "peak_c"), Values(reread.Redraw([3, 99, 12_345], key), "peak_c"));
    }

    [Fact]
    public void A_pair_whose_lower_column_is_missing_where_the_higher_is_present_or_whose_higher_column_is_a_sum_is_not_a_gap()
    {
        var real = Stays(1_000);
        var admitted = Values(real, "admitted");
        for (var r = 0; r < admitted.Length; r += 20) admitted[r] = double.NaN;
        var rules = ConstraintDetector.Detect(real, 1, manyPairs: true);
        Assert.Contains(new InequalityRule("admitted", "discharged"), rules);
        Assert.DoesNotContain(GapCopula.Choose(real, rules), g => g.High == "discharged");

        // A total computed from its terms is not drawn at all, so it is not drawn as a gap either.
        var key = SplitMix64.SeedKey(2);
        var spend = new double[800];
        var tax = new double[800];
        var total = new double[800];
        for (var r = 0; r < spend.Length; r++)
        {
            var rng = SplitMix64.ForCell(key, r, 0);
            spend[r] = Math.Round(20 + 50 * rng.NextDouble(), 2);
            tax[r] = Math.Round(spend[r] * 0.2, 2);
            total[r] = Math.Round(spend[r] + tax[r], 2);
        }
        TableColumn[] sale = [new NumericColumn("spend", spend, NumericRole.Decimal, 2), new NumericColumn("tax", tax, NumericRole.Decimal, 2), new NumericColumn("total", total, NumericRole.Decimal, 2)];
        var saleRules = ConstraintDetector.Detect(sale, 1, manyPairs: true);
        Assert.Contains(saleRules, r => r is SumRule { Total: "total" });
        Assert.Contains(new InequalityRule("spend", "total"), saleRules);
        Assert.DoesNotContain(GapCopula.Choose(sale, saleRules), g => g.High == "total");
    }

    [Fact]
    public void Gaps_that_name_a_missing_column_or_draw_a_column_before_its_lower_one_are_refused()
    {
        var model = GaussianCopula.Fit(Stays(500), 1, cancellationToken: Ct);
        Assert.Throws<FormatException>(() => new GapCopula(model, [new GapCopula.Gap(["admitted"], "nowhere", 0)]));
        Assert.Throws<FormatException>(() => new GapCopula(model, [new GapCopula.Gap(["admitted"], "ward", 0)]));
        Assert.Throws<FormatException>(() => new GapCopula(model, [new GapCopula.Gap(["high_c"], "peak_c", 1), new GapCopula.Gap(["low_c"], "high_c", 1)]));
        Assert.Throws<FormatException>(() => new GapCopula(model, [new GapCopula.Gap(["low_c"], "peak_c", 1), new GapCopula.Gap(["high_c"], "peak_c", 1)]));
        Assert.Throws<FormatException>(() => new GapCopula(model, [new GapCopula.Gap([], "peak_c", 1)]));
    }
    [Fact]
    public async Task A_trained_model_file_keeps_its_gaps_samples_the_same_bytes_when_read_back_and_its_training_report_names_them()
    {
        var stays = Stays(2_000);
        var csv = new System.Text.StringBuilder("admitted,discharged,low_c,high_c,peak_c,ward\n");
        string Day(double days) => DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(days)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        for (var r = 0; r < 2_000; r++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{Day(Values(stays, "admitted")[r])},{Day(Values(stays, "discharged")[r])},{Values(stays, "low_c")[r]:F1},{Values(stays, "high_c")[r]:F1},{Values(stays, "peak_c")[r]:F1},{((CategoricalColumn)stays[5]).ValueAt(r)}\n");
        var (model, table) = await CopulaTraining.TrainAsync(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "stays.csv", seed: 3, parallelism: 2, CopulaFitting.InequalityGaps);
        var gapped = Assert.IsType<GapCopula>(model.Model.Sampler);
        Assert.Contains(gapped.Gaps, g => g.Describe() == "discharged = admitted + gap");

        var reread = SynthesisModel.Parse(model.ToBytes(), ModelFamilies.Default);
        Assert.Equal(model.ToBytes(), reread.ToBytes());
        async Task<string> RowsAsync(SynthesisModel m)
        {
            using var output = new MemoryStream();
            await SynthesisRun.WriteRowsAsync(m, 5_000, 8, output, null, new Engine.Output.DatasetWriteOptions { Parallelism = 2 }, Ct);
            return System.Text.Encoding.UTF8.GetString(output.ToArray());
        }
        var rows = await RowsAsync(model);
        Assert.Equal(rows, await RowsAsync(reread));
        var lines = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(5_000, lines.Length);
        Assert.All(lines, l => Assert.True(string.CompareOrdinal(l[0], l[1]) <= 0, string.Join(",", l)));

        var report = Engine.Synthesis.Reports.TrainingReport.Json(model);
        Assert.Contains(report["gaps"]!.AsArray(), g => g!["high"]!.GetValue<string>() == "discharged" && g["lows"]![0]!.GetValue<string>() == "admitted");
        var html = Engine.Synthesis.Reports.TrainingReport.Html(model, table);
        Assert.Contains("Columns drawn as a gap above another", html, StringComparison.Ordinal);
        Assert.Contains("discharged = admitted + gap", html, StringComparison.Ordinal);
    }
}
