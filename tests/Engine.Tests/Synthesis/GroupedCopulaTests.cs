using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>A copula per value of the category the other columns depend on (<see cref="GroupedCopula"/>), and when a table is not grouped.</summary>
public sealed class GroupedCopulaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Beans of three varieties: each variety its own length, and a width that grows with length across varieties but shrinks
    /// with it within each (pods of one plant compete), a pod colour some varieties never have, and a weight with nulls.
    /// </summary>
    private static TableColumn[] Beans(int rows, ulong seed = 3)
    {
        var key = SplitMix64.SeedKey(seed);
        string[] varieties = ["arcadia", "borlotti", "cannellini"];
        string[][] colours = [["green", "yellow"], ["speckled", "green"], ["white"]];
        var variety = new string?[rows];
        var colour = new string?[rows];
        var length = new double[rows];
        var width = new double[rows];
        var weight = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var v = rng.NextDouble() switch { < 0.5 => 0, < 0.8 => 1, _ => 2 };
            variety[i] = varieties[v];
            colour[i] = colours[v][(int)rng.NextBelow((ulong)colours[v].Length)];
            var within = rng.NextGaussian();
            length[i] = Math.Round(10 + 5 * v + 1.2 * within, 1);
            width[i] = Math.Round(4 + 2 * v - 0.6 * within + 0.3 * rng.NextGaussian(), 2);
            weight[i] = rng.NextDouble() < 0.05 ? double.NaN : Math.Round(0.4 * length[i] * width[i] + rng.NextGaussian(), 1);
        }
        return
        [
            CategoricalColumn.FromValues("variety", variety),
            new NumericColumn("length_mm", length, NumericRole.Decimal, 1),
            new NumericColumn("width_mm", width, NumericRole.Decimal, 2),
            CategoricalColumn.FromValues("colour", colour),
            new NumericColumn("weight_g", weight, NumericRole.Decimal, 1),
        ];
    }

    /// <summary>The correlation of length and width among the rows of one variety.</summary>
    private static double WithinVariety(IReadOnlyList<TableColumn> table, string variety)
    {
        var column = (CategoricalColumn)table[0];
        var rows = Enumerable.Range(0, column.Length).Where(r => column.ValueAt(r) == variety).ToArray();
        return Correlations.Pearson([.. rows.Select(r => ((NumericColumn)table[1]).Values[r])], [.. rows.Select(r => ((NumericColumn)table[2]).Values[r])]);
    }

    /// <summary>
    /// The table fitted as a revision-4 train job fits it (with 2 threads) and as one copula for the whole table, each sampled
    /// <paramref name="rows"/> rows from the same seed key, and both samples scored against the table.
    /// </summary>
    private static (GroupedCopula Model, IReadOnlyList<TableColumn> Synthetic, QualityScores Scores, IReadOnlyList<TableColumn> Pooled, QualityScores PooledScores)
        FitBothWays(TableColumn[] real, long seed, int rows, ulong sampleSeed)
    {
        var model = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed, parallelism: 2, CopulaFitting.Grouped, Ct));
        var synthetic = model.Sample(0, rows, SplitMix64.SeedKey(sampleSeed));
        var pooled = GaussianCopula.Fit(real, seed, parallelism: 2, cancellationToken: Ct).Sample(0, rows, SplitMix64.SeedKey(sampleSeed));
        return (model, synthetic, QualityScores.Compute(real, synthetic), pooled, QualityScores.Compute(real, pooled));
    }

    [Fact]
    public void A_table_whose_columns_follow_a_variety_is_modelled_per_variety_and_keeps_its_sizes_and_the_relation_within_each()
    {
        var real = Beans(3_000);
        var (grouped, synthetic, scores, pooled, pooledScores) = FitBothWays(real, seed: 1, rows: 3_000, sampleSeed: 9);
        Assert.Equal("variety", grouped.GroupedBy);
        Assert.Equal(3, grouped.Groups.Count);
        string Detail(QualityScores s) => string.Join("; ", s.Pairs.Select(p => $"{p.Column1}-{p.Column2} {p.Score:F3}"));
        Assert.True(scores.ColumnShapes >= 0.95, $"shapes {scores.ColumnShapes:F3}");
        Assert.True(scores.ColumnPairTrends >= 0.93, $"grouped pairs {scores.ColumnPairTrends:F3}: {Detail(scores)}");
        Assert.True(scores.ColumnPairTrends > pooledScores.ColumnPairTrends + 0.03, $"grouped {Detail(scores)}; pooled {Detail(pooledScores)}");
        // Within each variety, width falls as length rises (about −0.9 in the real rows): one pooled correlation cannot say so.
        foreach (var variety in new[] { "arcadia", "borlotti", "cannellini" })
        {
            var expected = WithinVariety(real, variety);
            Assert.True(expected < -0.8, $"{variety}: real {expected:F3}");
            Assert.InRange(WithinVariety(synthetic, variety), expected - 0.1, expected + 0.1);
            Assert.True(WithinVariety(pooled, variety) > expected + 0.3, $"{variety}: pooled {WithinVariety(pooled, variety):F3}, real {expected:F3}");
        }
        // A colour only ever seen with one variety comes out with that variety alone.
        var colours = (CategoricalColumn)synthetic[3];
        var varieties = (CategoricalColumn)synthetic[0];
        var pairs = Enumerable.Range(0, 3_000).Select(r => (varieties.ValueAt(r), colours.ValueAt(r))).Distinct().Order().ToArray();
        Assert.Equal([("arcadia", "green"), ("arcadia", "yellow"), ("borlotti", "green"), ("borlotti", "speckled"), ("cannellini", "white")], pairs);
    }

    /// <summary>
    /// Beans whose open flowers are never fewer than their buds: arcadia's counts close together (a copula of it draws rows that break
    /// the rule now and then), borlotti's and cannellini's far apart (never).
    /// </summary>
    private static TableColumn[] Flowering(int rows)
    {
        var beans = Beans(rows);
        var variety = (CategoricalColumn)beans[0];
        var key = SplitMix64.SeedKey(5);
        var buds = new double[rows];
        var flowers = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            if (variety.ValueAt(i) == "arcadia")
            {
                buds[i] = rng.NextBelow(5);
                flowers[i] = buds[i] + rng.NextBelow(2);
            }
            else
            {
                buds[i] = rng.NextBelow(2);
                flowers[i] = 4 + rng.NextBelow(5);
            }
        }
        return [beans[0], beans[1], new NumericColumn("buds", buds, NumericRole.Integer), new NumericColumn("flowers", flowers, NumericRole.Integer)];
    }

    [Fact]
    public void Rows_that_break_a_rule_are_drawn_again_from_their_own_group_so_the_groups_keep_their_shares()
    {
        var real = Flowering(3_000);
        var rules = ConstraintDetector.Detect(real, seed: 1, manyPairs: true);
        Assert.Contains(rules, r => r.Describe() == "buds ≤ flowers");
        var model = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.BreachesInGroup, Ct));
        double ShareOff(bool inGroup)
        {
            var synthetic = new ConstrainedModel(model, rules, breachesInGroup: inGroup).Sample(0, 20_000, SplitMix64.SeedKey(7));
            var buds = ((NumericColumn)synthetic[2]).Values;
            var flowers = ((NumericColumn)synthetic[3]).Values;
            Assert.Equal(0, Enumerable.Range(0, buds.Length).Count(r => buds[r] > flowers[r]));
            string?[] Values(TableColumn column) => [.. Enumerable.Range(0, column.Length).Select(((CategoricalColumn)column).ValueAt)];
            return 1 - SingleColumnMetrics.TvComplement(Values(real[0]), Values(synthetic[0]));
        }
        var drawnFromAnyGroup = ShareOff(inGroup: false);
        var drawnFromOwnGroup = ShareOff(inGroup: true);
        Assert.True(drawnFromAnyGroup > 0.02, $"drawn from any group: the varieties' shares off by {drawnFromAnyGroup:F4}");
        Assert.True(drawnFromOwnGroup < 0.005, $"drawn from their own group: off by {drawnFromOwnGroup:F4}");
    }

    [Fact]
    public void A_class_written_as_a_number_is_grouped_by_and_each_group_keeps_its_own_number()
    {
        // Tables exported from libraries often code the class as 0, 1, 2: the same beans, their variety as a number.
        var beans = Beans(2_000);
        var variety = (CategoricalColumn)beans[0];
        var code = Enumerable.Range(0, variety.Length).Select(r => variety.ValueAt(r) switch { "arcadia" => 0.0, "borlotti" => 1.0, _ => 2.0 }).ToArray();
        TableColumn[] real = [new NumericColumn("target", code, NumericRole.Integer), beans[1], beans[2], beans[4]];
        var model = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.Grouped, Ct));
        Assert.Equal("target", model.GroupedBy);
        Assert.Equal(["0", "1", "2"], Enumerable.Range(0, model.Groups.Count).Select(g => model.ValuesOf(g).Single()));
        var synthetic = model.Sample(0, 2_000, SplitMix64.SeedKey(3));
        var target = ((NumericColumn)synthetic[0]).Values;
        var length = ((NumericColumn)synthetic[1]).Values;
        // Each class keeps its own lengths: arcadia about 10 mm, borlotti 15, cannellini 20 (1.2 mm spread within each).
        for (var c = 0; c < 3; c++)
        {
            var mean = Enumerable.Range(0, target.Length).Where(r => target[r] == c).Average(r => length[r]);
            Assert.InRange(mean, 10 + 5 * c - 0.3, 10 + 5 * c + 0.3);
        }
        Assert.Equal(0, target.Count(t => t is not (0 or 1 or 2)));
    }

    [Fact]
    public void A_block_holds_each_group_at_its_share_and_is_the_same_bytes_drawn_again_or_read_back_from_its_json()
    {
        var model = (GroupedCopula)GaussianCopulaFamily.Fit(Beans(2_000), seed: 4, parallelism: 1, CopulaFitting.Grouped, Ct);
        var key = SplitMix64.SeedKey(12);
        var block = model.Sample(65_536, 1_000, key);
        var counts = ((CategoricalColumn)block[0]).Codes.GroupBy(c => c).ToDictionary(g => ((CategoricalColumn)block[0]).Categories[g.Key], g => g.Count());
        var total = (double)model.TrainingRows.Sum();
        for (var g = 0; g < model.Groups.Count; g++)
        {
            var share = 1_000 * model.TrainingRows[g] / total;
            Assert.InRange(counts[model.ValuesOf(g).Single()!], Math.Floor(share), Math.Ceiling(share));
        }
        // The groups' rows are shuffled through the block, not laid one group after another.
        var codes = ((CategoricalColumn)block[0]).Codes;
        Assert.True(Enumerable.Range(1, codes.Length - 1).Count(r => codes[r] != codes[r - 1]) > 300);

        var json = model.ToJson();
        var reread = (GroupedCopula)new GaussianCopulaFamily().Read(JsonNode.Parse(json.ToJsonString())!.AsObject());
        Assert.Equal(json.ToJsonString(), reread.ToJson().ToJsonString());
        foreach (var again in new[] { model.Sample(65_536, 1_000, key), reread.Sample(65_536, 1_000, key) })
            for (var c = 0; c < block.Count; c++)
                Assert.Equal(Cells(block[c]), Cells(again[c]));
        long[] redrawn = [5, 70_000, 3, 5];
        var first = model.Redraw(redrawn, key);
        var second = reread.Redraw(redrawn, key);
        for (var c = 0; c < first.Count; c++)
        {
            Assert.Equal(Cells(first[c]), Cells(second[c]));
            Assert.Equal(Cells(first[c])[0], Cells(first[c])[3]);
        }
    }

    private static string[] Cells(TableColumn column) => column switch
    {
        NumericColumn n => [.. n.Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))],
        CategoricalColumn k => [.. k.Codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        _ => throw new InvalidOperationException(),
    };

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void A_category_the_other_columns_do_not_depend_on_is_not_grouped_by(ulong seed)
    {
        // Two related numbers and two categories drawn on their own: any category shifts the numbers' means a little by chance.
        var key = SplitMix64.SeedKey(seed);
        const int rows = 400;
        var x = new double[rows];
        var y = new double[rows];
        var shade = new string?[rows];
        var flag = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            x[i] = Math.Round(50 + 10 * rng.NextGaussian(), 2);
            y[i] = Math.Round(0.5 * x[i] + 4 * rng.NextGaussian(), 2);
            shade[i] = ((string[])["red", "green", "blue", "grey"])[(int)rng.NextBelow(4)];
            flag[i] = rng.NextDouble() < 0.3 ? "yes" : "no";
        }
        TableColumn[] real = [new NumericColumn("x", x, NumericRole.Decimal, 2), new NumericColumn("y", y, NumericRole.Decimal, 2),
            CategoricalColumn.FromValues("shade", shade), CategoricalColumn.FromValues("flag", flag)];
        Assert.IsType<GaussianCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.Grouped, Ct));
    }

    [Fact]
    public void A_group_with_no_value_in_a_number_is_not_grouped_by_and_the_table_is_still_modelled()
    {
        // Litter size is recorded for females only: grouped by sex, the males' copula would have nothing to model it from.
        var key = SplitMix64.SeedKey(8);
        const int rows = 600;
        var sex = new string?[rows];
        var mass = new double[rows];
        var litter = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var female = rng.NextDouble() < 0.5;
            sex[i] = female ? "f" : "m";
            mass[i] = Math.Round((female ? 20 : 30) + 2 * rng.NextGaussian(), 1);
            litter[i] = female ? Math.Round(Math.Exp(1.5 + 0.7 * rng.NextGaussian()), 2) : double.NaN;
        }
        TableColumn[] real = [CategoricalColumn.FromValues("sex", sex), new NumericColumn("mass", mass, NumericRole.Decimal, 1), new NumericColumn("litter", litter, NumericRole.Decimal, 2)];
        var model = GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.Grouped, Ct);
        Assert.IsType<GaussianCopula>(model);
        Assert.Equal(3, model.Sample(0, 100, SplitMix64.SeedKey(1)).Count);
    }

    [Fact]
    public void A_number_present_on_one_row_of_a_large_table_does_not_stop_the_fit()
    {
        // The choice of a grouping reads every third row of 70,000: the one value of "rare" (row 1) is not among them.
        const int rows = 70_000;
        var kind = new string?[rows];
        var size = new double[rows];
        var rare = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            kind[i] = i % 2 == 0 ? "small" : "large";
            size[i] = (i % 2 == 0 ? 10 : 50) + i % 17;
            rare[i] = i == 1 ? 4.5 : double.NaN;
        }
        TableColumn[] real = [CategoricalColumn.FromValues("kind", kind), new NumericColumn("size", size, NumericRole.Integer), new NumericColumn("rare", rare, NumericRole.Decimal, 1)];
        var model = GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.Grouped, Ct);
        Assert.IsType<GaussianCopula>(model);
        Assert.Equal(rows / 10, model.Sample(0, rows / 10, SplitMix64.SeedKey(2))[0].Length);
    }

    [Fact]
    public async Task The_training_report_names_the_grouping_column_and_each_group_with_its_rows()
    {
        var csv = new System.Text.StringBuilder("variety,length_mm,width_mm\n");
        var beans = Beans(500);
        for (var r = 0; r < 500; r++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{((CategoricalColumn)beans[0]).ValueAt(r)},{((NumericColumn)beans[1]).Values[r]},{((NumericColumn)beans[2]).Values[r]}\n");
        var (model, table) = await CopulaTraining.TrainAsync(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "beans.csv", seed: 3, parallelism: 1, CopulaFitting.Grouped);
        var grouped = Assert.IsType<GroupedCopula>(model.Model.Sampler);
        var json = Engine.Synthesis.Reports.TrainingReport.Json(model);
        Assert.Equal("variety", json["groups"]!["grouped_by"]!.GetValue<string>());
        var groups = json["groups"]!["groups"]!.AsArray();
        Assert.Equal(["arcadia", "borlotti", "cannellini"], groups.Select(g => g!["values"]!.AsArray().Single()!.GetValue<string>()).Order());
        Assert.Equal(table.Training[0].Length, groups.Sum(g => g!["training_rows"]!.GetValue<long>()));
        Assert.Equal(grouped.TrainingRows, [.. groups.Select(g => g!["training_rows"]!.GetValue<long>())]);
        var html = Engine.Synthesis.Reports.TrainingReport.Html(model, table);
        Assert.Contains("One copula per group", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Loss per epoch", html, StringComparison.Ordinal);
    }

    /// <summary>A geyser of two regimes no column names: short eruptions after short waits, long ones after long waits.</summary>
    private static TableColumn[] Geyser(int rows)
    {
        var key = SplitMix64.SeedKey(6);
        var eruption = new double[rows];
        var waiting = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var longRegime = rng.NextDouble() < 0.65;
            eruption[i] = Math.Round(longRegime ? 4.3 + 0.4 * rng.NextGaussian() : 2.0 + 0.25 * rng.NextGaussian(), 3);
            // Within each regime the wait hardly depends on the eruption: the relation is between the regimes.
            waiting[i] = Math.Round(longRegime ? 80 + 6 * rng.NextGaussian() : 54 + 5.5 * rng.NextGaussian());
        }
        return [new NumericColumn("eruption_min", eruption, NumericRole.Decimal, 3), new NumericColumn("waiting_min", waiting, NumericRole.Integer)];
    }

    [Fact]
    public void Rows_of_two_regimes_no_column_names_are_modelled_per_cluster_and_keep_the_gap_between_them()
    {
        var real = Geyser(1_000);
        var (model, synthetic, scores, pooled, pooledScores) = FitBothWays(real, seed: 1, rows: 1_000, sampleSeed: 4);
        Assert.Null(model.GroupedBy);
        Assert.Empty(model.ValuesOf(0));
        Assert.True(scores.ColumnPairTrends >= 0.95, $"clusters {scores.ColumnPairTrends:F3}");
        Assert.True(scores.ColumnPairTrends > pooledScores.ColumnPairTrends + 0.05, $"clusters {scores.ColumnPairTrends:F3}, one copula {pooledScores.ColumnPairTrends:F3}");
        // A short eruption after a long wait is rare in the real rows; one copula makes many of them.
        static int Crossed(IReadOnlyList<TableColumn> t) => Enumerable.Range(0, t[0].Length)
            .Count(r => ((NumericColumn)t[0]).Values[r] < 3 && ((NumericColumn)t[1]).Values[r] > 70);
        Assert.True(Crossed(synthetic) <= Crossed(real) + 10, $"synthetic {Crossed(synthetic)}, real {Crossed(real)}");
        Assert.True(Crossed(pooled) > Crossed(real) + 20, $"one copula {Crossed(pooled)}, real {Crossed(real)}");
        var again = GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.Grouped, Ct);
        Assert.Equal(model.ToJson().ToJsonString(), again.ToJson().ToJsonString());
    }

    [Fact]
    public void On_a_table_larger_than_the_rows_the_choice_reads_every_row_joins_a_cluster_fitted_under_the_whole_tables_marginals()
    {
        // 70,000 rows: the choice reads every third; the mixture is fitted again on the whole table's scores before rows join it.
        var (model, _, scores, _, pooledScores) = FitBothWays(Geyser(70_000), seed: 2, rows: 20_000, sampleSeed: 8);
        Assert.Null(model.GroupedBy);
        Assert.True(scores.ColumnPairTrends >= 0.97 && scores.ColumnPairTrends > pooledScores.ColumnPairTrends + 0.05,
            $"clusters {scores.ColumnPairTrends:F3}, one copula {pooledScores.ColumnPairTrends:F3}");
    }

    [Fact]
    public void Rows_of_two_regimes_with_some_null_numbers_are_clustered_from_the_null_clusters_revision_on_and_keep_their_null_rates()
    {
        // The geyser with 5% of each column's values missing: four rows in five have both.
        var real = Geyser(1_000);
        var key = SplitMix64.SeedKey(12);
        for (var c = 0; c < real.Length; c++)
        {
            var values = ((NumericColumn)real[c]).Values;
            for (var i = 0; i < values.Length; i++)
                if (SplitMix64.ForCell(key, i, c).NextDouble() < 0.05) values[i] = double.NaN;
        }
        Assert.IsType<GaussianCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.InequalityGaps, Ct));

        var model = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.NullClusters, Ct));
        Assert.Null(model.GroupedBy);
        var synthetic = model.Sample(0, 20_000, SplitMix64.SeedKey(4));
        var pooled = GaussianCopula.Fit(real, seed: 1, parallelism: 2, cancellationToken: Ct).Sample(0, 20_000, SplitMix64.SeedKey(4));
        var (scores, pooledScores) = (QualityScores.Compute(real, synthetic), QualityScores.Compute(real, pooled));
        Assert.True(scores.ColumnPairTrends >= 0.95 && scores.ColumnPairTrends > pooledScores.ColumnPairTrends + 0.05,
            $"clusters {scores.ColumnPairTrends:F3}, one copula {pooledScores.ColumnPairTrends:F3}");
        for (var c = 0; c < real.Length; c++)
        {
            double NullRate(IReadOnlyList<TableColumn> t) => (double)((NumericColumn)t[c]).NullCount / t[c].Length;
            Assert.InRange(NullRate(synthetic), NullRate(real) - 0.015, NullRate(real) + 0.015);
        }
        // A row with one number still joins its regime: the eruptions drawn where the wait is null keep the real ones' two modes.
        static double ShortShare(IReadOnlyList<TableColumn> t)
        {
            var rows = Enumerable.Range(0, t[0].Length).Where(r => double.IsNaN(((NumericColumn)t[1]).Values[r]) && !double.IsNaN(((NumericColumn)t[0]).Values[r])).ToArray();
            return (double)rows.Count(r => ((NumericColumn)t[0]).Values[r] < 3) / rows.Length;
        }
        Assert.InRange(ShortShare(synthetic), 0.25, 0.45);
        var again = GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.NullClusters, Ct);
        Assert.Equal(model.ToJson().ToJsonString(), again.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData(0.0, CopulaFitting.Grouped)]
    [InlineData(0.08, CopulaFitting.Grouped)]
    [InlineData(0.08, CopulaFitting.NullClusters)]
    public void Rows_drawn_from_one_gaussian_copula_are_not_split_into_clusters(double nullRate, CopulaFitting fitting)
    {
        // What a Gaussian copula itself draws: one cluster by construction, with skewed and whole-number marginals; with nulls
        // too, which must not make the null rows a cluster of their own.
        var key = SplitMix64.SeedKey(10);
        const int rows = 4_000;
        var (a, b, c) = (new double[rows], new double[rows], new double[rows]);
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var (g1, g2, g3) = (rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian());
            a[i] = Math.Round(50 + 10 * g1, 2);
            b[i] = rng.NextDouble() < nullRate ? double.NaN : Math.Round(Math.Exp(1 + 0.6 * (0.7 * g1 + 0.71 * g2)), 3);
            c[i] = Math.Round(Math.Exp(2 + 0.5 * (-0.5 * g1 + 0.3 * g2 + 0.81 * g3)));
        }
        TableColumn[] real = [new NumericColumn("a", a, NumericRole.Decimal, 2), new NumericColumn("b", b, NumericRole.Decimal, 3), new NumericColumn("c", c, NumericRole.Integer)];
        Assert.IsType<GaussianCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, fitting, Ct));
    }

    [Fact]
    public void Before_the_grouped_revision_the_same_table_is_one_copula()
    {
        var real = Beans(1_000);
        Assert.IsType<GaussianCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.BoundedScores, Ct));
        Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.Grouped, Ct));
    }

    /// <summary>
    /// A shop's baskets: <paramref name="items"/> items, each bought ("t") or not (null), and the kind of shopper, each of the three
    /// kinds buying its own third of the items often and the rest seldom. Every column is a copula dimension, so the table is wider
    /// than <see cref="GaussianCopula.MaxGroupedDimensions"/>.
    /// </summary>
    private static readonly string[] Kinds = ["family", "student", "retired"];

    private static TableColumn[] Baskets(int rows, int items)
    {
        var key = SplitMix64.SeedKey(21);
        var bought = Enumerable.Range(0, items).Select(_ => new string?[rows]).ToArray();
        var shopper = new string?[rows];
        for (var r = 0; r < rows; r++)
        {
            var rng = SplitMix64.ForCell(key, r, 0);
            var kind = (int)rng.NextBelow(3);
            shopper[r] = Kinds[kind];
            for (var i = 0; i < items; i++)
                bought[i][r] = rng.NextDouble() < (i % 3 == kind ? 0.6 : 0.08) ? "t" : null;
        }
        return [.. bought.Select((b, i) => (TableColumn)CategoricalColumn.FromValues($"item_{i:D3}", b)), CategoricalColumn.FromValues("shopper", shopper)];
    }

    [Fact]
    public void A_table_wider_than_128_dimensions_is_modelled_per_kind_of_shopper_from_the_more_groups_revision_on_and_keeps_what_each_kind_buys()
    {
        var real = Baskets(1_500, 140);
        var pooled = Assert.IsType<GaussianCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.WhitenedBlocks, Ct));
        Assert.True(pooled.Dimensions > GaussianCopula.MaxGroupedDimensions, $"{pooled.Dimensions} dimensions");
        var grouped = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.MoreGroups, Ct));
        Assert.Equal("shopper", grouped.GroupedBy);
        Assert.Equal(grouped.ToJson().ToJsonString(),
            GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 1, CopulaFitting.MoreGroups, Ct).ToJson().ToJsonString());

        var key = SplitMix64.SeedKey(8);
        double ItemByShopper(IReadOnlyList<TableColumn> synthetic) =>
            QualityScores.Compute(real, synthetic).Pairs.Where(p => p.Column2 == "shopper").Average(p => p.Score);
        var groupedScore = ItemByShopper(grouped.Sample(0, 1_500, key));
        var pooledScore = ItemByShopper(pooled.Sample(0, 1_500, key));
        Assert.True(groupedScore > 0.97, $"grouped: items by shopper {groupedScore:F3}");
        Assert.True(groupedScore > pooledScore + 0.08, $"grouped {groupedScore:F3}, one copula {pooledScore:F3}");
    }
}
