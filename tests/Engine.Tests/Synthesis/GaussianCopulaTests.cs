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
    public void Fitting_is_deterministic_whatever_the_thread_count_and_sampling_depends_only_on_seed_and_row()
    {
        var real = Table(30_000);
        var one = GaussianCopula.Fit(real, seed: 3, parallelism: 1, cancellationToken: TestContext.Current.CancellationToken);
        var two = GaussianCopula.Fit(real, seed: 3, parallelism: 4, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(CanonicalJson.SerializeToString(one.ToJson()), CanonicalJson.SerializeToString(two.ToJson()));

        var key = SplitMix64.SeedKey(11);
        var whole = one.Sample(0, 1_000, key);
        var tail = one.Sample(600, 400, key);
        Assert.Equal(((NumericColumn)whole[1]).Values[600..], ((NumericColumn)tail[1]).Values);
        Assert.Equal(((CategoricalColumn)whole[4]).Codes[600..], ((CategoricalColumn)tail[4]).Codes);
        Assert.NotEqual(((NumericColumn)whole[1]).Values, ((NumericColumn)one.Sample(0, 1_000, SplitMix64.SeedKey(12))[1]).Values);
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
}
