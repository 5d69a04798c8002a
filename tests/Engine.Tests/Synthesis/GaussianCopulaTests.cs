using RadMah.Engine.Contracts;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

public sealed class GaussianCopulaTests
{
    /// <summary>A table with dependence built in: income follows age, a tier follows income, a rating with nulls, a skewed amount.</summary>
    private static TableColumn[] Table(int rows, ulong seed = 7)
    {
        var key = SplitMix64.SeedKey(seed);
        var age = new double[rows];
        var income = new double[rows];
        var amount = new double[rows];
        var rating = new double[rows];
        var tier = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            age[i] = Math.Round(Math.Clamp(40 + 12 * rng.NextGaussian(), 18, 90));
            income[i] = Math.Round(20_000 + 900 * age[i] + 8_000 * rng.NextGaussian(), 2);
            amount[i] = Math.Round(Math.Exp(3 + rng.NextGaussian()), 2);
            rating[i] = rng.NextDouble() < 0.1 ? double.NaN : Math.Clamp(Math.Round(3 + (income[i] - 56_000) / 15_000 + rng.NextGaussian()), 1, 5);
            tier[i] = income[i] > 70_000 ? "gold" : income[i] > 50_000 ? "silver" : rng.NextDouble() < 0.05 ? null : "bronze";
        }
        return
        [
            new NumericColumn("age", age, NumericRole.Integer),
            new NumericColumn("income", income, NumericRole.Decimal, 2),
            new NumericColumn("amount", amount, NumericRole.Decimal, 2),
            new NumericColumn("rating", rating, NumericRole.Integer),
            CategoricalColumn.FromValues("tier", tier),
        ];
    }

    [Fact]
    public void On_a_small_table_the_rows_with_the_smallest_and_largest_values_do_not_outweigh_a_correlation()
    {
        // 40 rows, y rising with x but not in step with it, so the two columns' smallest and largest values fall on different rows.
        var x = Enumerable.Range(0, 40).Select(i => Math.Round(i * 0.37 + Math.Sin(i * 7.1), 3)).ToArray();
        var y = x.Select((v, i) => Math.Round(Math.Exp(v / 4) + 1.5 * Math.Sin(i * 3.3), 3)).ToArray();
        TableColumn[] real = [new NumericColumn("x", x, NumericRole.Decimal, 3), new NumericColumn("y", y, NumericRole.Decimal, 3)];
        var bounded = GaussianCopula.Fit(real, seed: 2, fitting: CopulaFitting.BoundedScores, cancellationToken: TestContext.Current.CancellationToken);
        var unbounded = GaussianCopula.Fit(real, seed: 2, fitting: CopulaFitting.Stratified, cancellationToken: TestContext.Current.CancellationToken);
        // The correlation of the ranks' normal scores at plotting positions, computed apart: 0.946.
        Assert.InRange(bounded.Correlation[0, 1], 0.92, 0.97);
        // At p = 0 and 1 (clamped to 1.2e-7) each column's two extreme rows score ±5.2, the others within ±2: those rows decide the correlation.
        Assert.True(unbounded.Correlation[0, 1] < bounded.Correlation[0, 1] - 0.1, $"unbounded {unbounded.Correlation[0, 1]:0.000}, bounded {bounded.Correlation[0, 1]:0.000}");
    }

    [Fact]
    public void A_fitted_copula_keeps_the_shapes_and_the_pair_trends_of_the_table()
    {
        var real = Table(20_000);
        var copula = GaussianCopula.Fit(real, seed: 1, cancellationToken: TestContext.Current.CancellationToken);
        var synthetic = copula.Sample(0, 20_000, SplitMix64.SeedKey(99));
        var scores = QualityScores.Compute(real, synthetic);
        Assert.True(scores.ColumnShapes >= 0.95, $"column shapes {scores.ColumnShapes}");
        Assert.True(scores.ColumnPairTrends >= 0.90, $"pair trends {scores.ColumnPairTrends}: {string.Join("; ", scores.Pairs.Select(p => $"{p.Column1}-{p.Column2} {p.Metric} {p.Score:F3} {p.RealCorrelation:F3}/{p.SyntheticCorrelation:F3}"))} shapes {string.Join("; ", scores.Columns.Select(c => $"{c.Column} {c.Score:F3}"))}");
        var ageIncome = scores.Pairs.Single(p => p.Column1 == "age" && p.Column2 == "income");
        Assert.InRange(ageIncome.SyntheticCorrelation!.Value, ageIncome.RealCorrelation!.Value - 0.05, ageIncome.RealCorrelation.Value + 0.05);
        Assert.True(ageIncome.RealCorrelation > 0.7);
    }

    [Fact]
    public void Nulls_come_back_at_their_rate_and_values_stay_in_the_training_range_and_precision()
    {
        var real = Table(20_000);
        var synthetic = GaussianCopula.Fit(real, seed: 1, cancellationToken: TestContext.Current.CancellationToken).Sample(0, 20_000, SplitMix64.SeedKey(5));
        var rating = (NumericColumn)synthetic[3];
        Assert.InRange((double)rating.NullCount / rating.Length, 0.08, 0.12);
        var tier = (CategoricalColumn)synthetic[4];
        Assert.InRange((double)tier.NullCount / tier.Length, 0.005, 0.04);
        var income = ((NumericColumn)synthetic[1]).Values;
        var realIncome = ((NumericColumn)real[1]).Values;
        Assert.All(income, v => Assert.InRange(v, realIncome.Min(), realIncome.Max()));
        Assert.All(income, v => Assert.Equal(Math.Round(v, 2), v));
        Assert.All(((NumericColumn)synthetic[0]).Values, v => Assert.Equal(Math.Round(v), v));
    }

    [Fact]
    public void Fitting_is_deterministic_whatever_the_thread_count_and_a_sampled_block_depends_only_on_seed_first_row_and_count()
    {
        var real = Table(30_000);
        var one = GaussianCopula.Fit(real, seed: 3, parallelism: 1, cancellationToken: TestContext.Current.CancellationToken);
        var two = GaussianCopula.Fit(real, seed: 3, parallelism: 4, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(CanonicalJson.SerializeToString(one.ToJson()), CanonicalJson.SerializeToString(two.ToJson()));
        Assert.Equal(CopulaSampling.Stratified, one.Sampling);

        var key = SplitMix64.SeedKey(11);
        var block = one.Sample(1_000, 1_000, key);
        Assert.Equal(((NumericColumn)block[1]).Values, ((NumericColumn)two.Sample(1_000, 1_000, key)[1]).Values);
        Assert.Equal(((CategoricalColumn)block[4]).Codes, ((CategoricalColumn)two.Sample(1_000, 1_000, key)[4]).Codes);
        Assert.NotEqual(((NumericColumn)block[1]).Values, ((NumericColumn)one.Sample(0, 1_000, key)[1]).Values);
        Assert.NotEqual(((NumericColumn)block[1]).Values, ((NumericColumn)one.Sample(1_000, 1_000, SplitMix64.SeedKey(12))[1]).Values);
    }

    [Fact]
    public void A_stratified_block_follows_each_marginal_to_within_one_stratum()
    {
        var real = Table(5_000);
        var copula = GaussianCopula.Fit(real, seed: 4, cancellationToken: TestContext.Current.CancellationToken);
        const int n = 300;
        var block = copula.Sample(0, n, SplitMix64.SeedKey(21));

        // The k-th smallest value of a continuous column lies between the marginal's quantiles at k/n and (k+1)/n.
        var income = (ContinuousColumn)copula.Columns[1];
        var sorted = ((NumericColumn)block[1]).Values.Order().ToArray();
        for (var k = 0; k < n; k++)
            Assert.InRange(sorted[k], income.Value((double)k / n) - 0.01, income.Value((double)(k + 1) / n) + 0.01);

        // Each category comes out as often as its share says, to within the two strata its interval's ends cut.
        var tier = (DiscreteColumn)copula.Columns[4];
        var codes = ((CategoricalColumn)block[4]).Codes;
        for (var v = 0; v < tier.Intervals.Count; v++)
        {
            var expected = n * (tier.Intervals.Upper[v] - tier.Intervals.Lower(v));
            var index = v;
            var count = tier.Categories![v] is null ? codes.Count(c => c == CategoricalColumn.Null) : codes.Count(c => c == index);
            Assert.InRange(count, expected - 2, expected + 2);
        }

        // The block keeps the fitted dependence: age and income stay correlated as in the table.
        var scores = QualityScores.Compute(real, block);
        var ageIncome = scores.Pairs.Single(p => p.Column1 == "age" && p.Column2 == "income");
        Assert.InRange(ageIncome.SyntheticCorrelation!.Value, ageIncome.RealCorrelation!.Value - 0.1, ageIncome.RealCorrelation.Value + 0.1);
    }

    [Fact]
    public void A_copula_stored_before_stratified_sampling_still_samples_each_row_on_its_own_as_it_did()
    {
        var fitted = GaussianCopula.Fit(Table(5_000), seed: 3, cancellationToken: TestContext.Current.CancellationToken);
        var json = fitted.ToJson();
        Assert.Equal("stratified", json["sampling"]!.GetValue<string>());
        json.Remove("sampling");
        var older = GaussianCopula.FromJson(System.Text.Json.Nodes.JsonNode.Parse(CanonicalJson.SerializeToString(json))!.AsObject());
        Assert.Equal(CopulaSampling.Independent, older.Sampling);
        Assert.False(older.ToJson().ContainsKey("sampling"));

        var key = SplitMix64.SeedKey(11);
        var whole = older.Sample(0, 1_000, key);
        var tail = older.Sample(600, 400, key);
        Assert.Equal(((NumericColumn)whole[1]).Values[600..], ((NumericColumn)tail[1]).Values);
        Assert.Equal(((CategoricalColumn)whole[4]).Codes[600..], ((CategoricalColumn)tail[4]).Codes);
        Assert.NotEqual(((NumericColumn)whole[1]).Values, ((NumericColumn)older.Sample(0, 1_000, SplitMix64.SeedKey(12))[1]).Values);
        Assert.Throws<FormatException>(() => GaussianCopula.FromJson(new System.Text.Json.Nodes.JsonObject
        {
            ["columns"] = json["columns"]!.DeepClone(), ["correlation"] = json["correlation"]!.DeepClone(), ["sampling"] = "sobol",
        }));
    }

    [Fact]
    public void A_copula_read_back_from_its_json_samples_the_same_rows()
    {
        var copula = GaussianCopula.Fit(Table(5_000), seed: 2, cancellationToken: TestContext.Current.CancellationToken);
        var json = CanonicalJson.SerializeToString(copula.ToJson());
        var back = GaussianCopula.FromJson(System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject());
        Assert.Equal(json, CanonicalJson.SerializeToString(back.ToJson()));
        var key = SplitMix64.SeedKey(4);
        Assert.Equal(((NumericColumn)copula.Sample(0, 500, key)[2]).Values, ((NumericColumn)back.Sample(0, 500, key)[2]).Values);
    }

    [Fact]
    public void A_broken_correlation_matrix_is_mended_to_the_nearest_positive_definite_one()
    {
        double[,] inconsistent = { { 1, 0.9, -0.9 }, { 0.9, 1, 0.9 }, { -0.9, 0.9, 1 } };
        var mended = GaussianCopula.NearestCorrelation(inconsistent);
        Assert.Equal(1, mended[0, 0]);
        // It factorizes (the constructor checks) and stays close in sign and size.
        _ = new GaussianCopula([new DiscreteColumn("a", ["x"], null, null, false, new Intervals([1.0])),
            new DiscreteColumn("b", ["x"], null, null, false, new Intervals([1.0])), new DiscreteColumn("c", ["x"], null, null, false, new Intervals([1.0]))], mended);
        Assert.True(mended[0, 1] > 0.3 && mended[1, 2] > 0.3 && mended[0, 2] < -0.3);
    }

    /// <summary>
    /// A category whose values each follow a different column: "a" where x is high, "b" where y is high, "c" where neither is;
    /// and a colour that follows nothing.
    /// </summary>
    private static TableColumn[] Winners(int rows)
    {
        var key = SplitMix64.SeedKey(17);
        var x = new double[rows];
        var y = new double[rows];
        var winner = new string?[rows];
        var colour = new string?[rows];
        string[] colours = ["red", "green", "blue", "grey"];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            x[i] = Math.Round(rng.NextGaussian(), 3);
            y[i] = Math.Round(rng.NextGaussian(), 3);
            winner[i] = x[i] > 0.5 && x[i] > y[i] ? "a" : y[i] > 0.5 ? "b" : "c";
            colour[i] = colours[rng.NextBelow(4)];
        }
        return [new NumericColumn("x", x, NumericRole.Decimal, 3), new NumericColumn("y", y, NumericRole.Decimal, 3), CategoricalColumn.FromValues("winner", winner),
            CategoricalColumn.FromValues("colour", colour)];
    }

    [Fact]
    public void A_category_whose_values_follow_different_columns_is_drawn_given_them_and_keeps_each_relation_and_one_that_follows_nothing_is_not()
    {
        var real = Winners(6_000);
        var copula = GaussianCopula.Fit(real, seed: 5, cancellationToken: TestContext.Current.CancellationToken);
        var column = (DiscreteColumn)copula.Columns[2];
        Assert.NotNull(column.Discriminant);
        // A category the other columns do not explain keeps its place in the copula.
        Assert.Null(((DiscreteColumn)copula.Columns[3]).Discriminant);
        // Its own dimension is the uniform that picks the value: uncorrelated with the others.
        Assert.Equal(0, copula.Correlation[2, 0]);
        Assert.Equal(0, copula.Correlation[1, 2]);

        var synthetic = copula.Sample(0, 8_000, SplitMix64.SeedKey(3));
        static double Share(TableColumn[] table, string value, Func<double, double, bool> where)
        {
            var (x, y, w) = (((NumericColumn)table[0]).Values, ((NumericColumn)table[1]).Values, (CategoricalColumn)table[2]);
            var rows = Enumerable.Range(0, x.Length).Where(r => where(x[r], y[r])).ToArray();
            return (double)rows.Count(r => w.Codes[r] >= 0 && w.Categories[w.Codes[r]] == value) / rows.Length;
        }
        var table = synthetic.ToArray();
        // Where x is high and y low the winner is "a"; where y is high and x low, "b"; where both are low, "c".
        Assert.InRange(Share(real, "a", (x, y) => x > 1 && y < 0), 0.99, 1);
        Assert.True(Share(table, "a", (x, y) => x > 1 && y < 0) > 0.75, $"a where x is high: {Share(table, "a", (x, y) => x > 1 && y < 0):F3}");
        Assert.True(Share(table, "b", (x, y) => y > 1 && x < 0) > 0.75, $"b where y is high: {Share(table, "b", (x, y) => y > 1 && x < 0):F3}");
        Assert.True(Share(table, "c", (x, y) => x < 0 && y < 0) > 0.75, $"c where both are low: {Share(table, "c", (x, y) => x < 0 && y < 0):F3}");

        // Each value comes out at its share of every stratified block, as other columns' values do.
        const int n = 1_000;
        var block = (CategoricalColumn)copula.Sample(0, n, SplitMix64.SeedKey(8))[2];
        for (var v = 0; v < column.Intervals.Count; v++)
        {
            var value = column.Categories![v];
            Assert.InRange(block.Codes.Count(c => block.Categories[c] == value), n * (column.Intervals.Upper[v] - column.Intervals.Lower(v)) - 1,
                n * (column.Intervals.Upper[v] - column.Intervals.Lower(v)) + 1);
        }
    }

    [Fact]
    public void A_stored_discriminant_over_another_discriminant_or_with_a_correlated_own_dimension_is_refused()
    {
        var copula = GaussianCopula.Fit(Winners(2_000), seed: 5, cancellationToken: TestContext.Current.CancellationToken);
        var json = copula.ToJson();
        Assert.Equal(CanonicalJson.SerializeToString(json), CanonicalJson.SerializeToString(GaussianCopula.FromJson(json.DeepClone().AsObject()).ToJson()));

        var onItself = json.DeepClone().AsObject();
        onItself["columns"]![2]!["discriminant"]!["features"]![0] = 2;
        Assert.Throws<FormatException>(() => GaussianCopula.FromJson(onItself));

        var correlated = json.DeepClone().AsObject();
        correlated["correlation"]![0]![2] = 0.3;
        correlated["correlation"]![2]![0] = 0.3;
        Assert.Throws<FormatException>(() => GaussianCopula.FromJson(correlated));

        Assert.Throws<FormatException>(() => new CategoryDiscriminant([0], new double[CategoryDiscriminant.MaxValuesWide + 1, 1], new double[CategoryDiscriminant.MaxValuesWide + 1]));

        var ragged = json.DeepClone().AsObject();
        ragged["columns"]![2]!["discriminant"]!["offsets"]!.AsArray().RemoveAt(0);
        Assert.Throws<FormatException>(() => GaussianCopula.FromJson(ragged));
    }
}
