using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>
/// From revision 13 a sample of fewer than 4,096 rows has the copula's correlations exactly (<see cref="CopulaSampling.StratifiedWhitened"/>),
/// where plain draws of n rows are off by about 1/√n; larger samples are drawn as before.
/// </summary>
public sealed class WhitenedBlocksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>2,000 rows of three normal numbers correlated 0.8, −0.5 and −0.3 (pairs 0–1, 0–2 and 1–2 of the model).</summary>
    private static TableColumn[] Table()
    {
        var key = SplitMix64.SeedKey(5);
        var (a, b, c) = (new double[2_000], new double[2_000], new double[2_000]);
        for (var i = 0; i < 2_000; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            double x = rng.NextGaussian(), y = rng.NextGaussian(), z = rng.NextGaussian();
            a[i] = Math.Round(10 + 2 * x, 3);
            b[i] = Math.Round(5 + 0.8 * x + 0.6 * y, 3);
            c[i] = Math.Round(-0.5 * x + 0.1 * y + 0.86 * z, 3);
        }
        return [new NumericColumn("a", a, NumericRole.Decimal, 3), new NumericColumn("b", b, NumericRole.Decimal, 3), new NumericColumn("c", c, NumericRole.Decimal, 3)];
    }

    /// <summary>The largest difference between a sample's Pearson correlations and the copula's, over its three pairs.</summary>
    private static double WorstDifference(GaussianCopula copula, int rows, ulong seed)
    {
        var sample = copula.Sample(0, rows, SplitMix64.SeedKey(seed));
        var values = sample.Select(column => ((NumericColumn)column).Values).ToArray();
        var worst = 0.0;
        foreach (var (i, j) in new[] { (0, 1), (0, 2), (1, 2) })
            worst = Math.Max(worst, Math.Abs(Correlations.Pearson(values[i], values[j]) - copula.Correlation[i, j]));
        return worst;
    }

    [Fact]
    public void A_sample_of_sixty_rows_has_the_copulas_correlations_where_plain_draws_miss_them_by_sampling_noise()
    {
        var whitened = GaussianCopula.Fit(Table(), seed: 2, parallelism: 2, CopulaFitting.WhitenedBlocks, Ct);
        var plain = GaussianCopula.Fit(Table(), seed: 2, parallelism: 2, CopulaFitting.PearsonMatched, Ct);
        Assert.Equal(CopulaSampling.StratifiedWhitened, whitened.Sampling);
        Assert.Equal(plain.Correlation, whitened.Correlation);
        var seeds = Enumerable.Range(1, 20).Select(s => (ulong)s).ToArray();
        // The scores' correlations are the copula's exactly; the values', stratified (a point drawn inside each row's stratum), to
        // within about 0.035 here, where plain draws of 60 rows are off by about 0.09.
        var withWhitening = seeds.Average(s => WorstDifference(whitened, 60, s));
        var withoutWhitening = seeds.Average(s => WorstDifference(plain, 60, s));
        Assert.True(withWhitening < 0.05, $"whitened: worst pair off by {withWhitening:0.000} on average");
        Assert.True(withoutWhitening > 2 * withWhitening && withoutWhitening > 0.06, $"plain: {withoutWhitening:0.000}, whitened {withWhitening:0.000}");
    }

    [Fact]
    public void A_sample_of_4096_rows_or_more_is_drawn_as_before_and_a_whitened_one_is_the_same_again_after_a_json_round_trip()
    {
        var whitened = GaussianCopula.Fit(Table(), seed: 2, parallelism: 2, CopulaFitting.WhitenedBlocks, Ct);
        var plain = GaussianCopula.Fit(Table(), seed: 2, parallelism: 2, CopulaFitting.PearsonMatched, Ct);
        var key = SplitMix64.SeedKey(9);
        Assert.Equal(((NumericColumn)plain.Sample(0, 5_000, key)[1]).Values, ((NumericColumn)whitened.Sample(0, 5_000, key)[1]).Values);
        Assert.Equal(((NumericColumn)plain.Sample(0, 4_096, key)[2]).Values, ((NumericColumn)whitened.Sample(0, 4_096, key)[2]).Values);
        Assert.NotEqual(((NumericColumn)plain.Sample(0, 300, key)[1]).Values, ((NumericColumn)whitened.Sample(0, 300, key)[1]).Values);

        var read = GaussianCopula.FromJson(whitened.ToJson());
        Assert.Equal("stratified-ziggurat-whitened", whitened.ToJson()["sampling"]!.GetValue<string>());
        Assert.Equal(((NumericColumn)whitened.Sample(0, 300, key)[0]).Values, ((NumericColumn)read.Sample(0, 300, key)[0]).Values);
        // Fewer rows than dimensions plus two cannot be whitened: drawn as plain draws are.
        Assert.Equal(((NumericColumn)plain.Sample(0, 4, key)[0]).Values, ((NumericColumn)whitened.Sample(0, 4, key)[0]).Values);
    }
}
