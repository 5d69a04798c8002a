using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>The Bayesian Gaussian mixture behind mode-specific normalization recovers known mixtures, and the encoding round-trips.</summary>
public sealed class MixtureTests
{
    /// <summary>Draws from a mixture of normals with the given weights, means and deviations.</summary>
    private static double[] Draw(int n, (double Weight, double Mean, double Deviation)[] components, ulong seed = 3)
    {
        var key = SplitMix64.SeedKey(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var u = rng.NextDouble();
            var c = 0;
            while (c < components.Length - 1 && (u -= components[c].Weight) >= 0) c++;
            values[i] = components[c].Mean + components[c].Deviation * rng.NextGaussian();
        }
        return values;
    }

    /// <summary>The fitted mixture's CDF at x.</summary>
    private static double Cdf(BayesianGaussianMixture m, double x) =>
        Enumerable.Range(0, m.Weights.Length).Sum(j => m.Weights[j] * Engine.Synthesis.Copula.StandardNormal.Cdf((x - m.Means[j]) / m.Deviations[j]));

    /// <summary>sup |F_mixture − ECDF| over the sample.</summary>
    private static double Ks(BayesianGaussianMixture m, double[] values)
    {
        var sorted = values.Order().ToArray();
        double d = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var f = Cdf(m, sorted[i]);
            d = Math.Max(d, Math.Max(f - (double)i / sorted.Length, (double)(i + 1) / sorted.Length - f));
        }
        return d;
    }

    [Fact]
    public void Three_well_separated_modes_are_recovered_with_their_weights_and_the_mixture_fits_the_data()
    {
        (double Weight, double Mean, double Deviation)[] truth = [(0.5, -10, 1), (0.3, 5, 2), (0.2, 30, 0.5)];
        var values = Draw(6_000, truth);
        var mixture = BayesianGaussianMixture.Fit(values, seed: 1);
        // The mean-precision prior (1, at the overall mean) widens a mode far from the overall mean,
        // as scikit-learn's defaults do (the mode at 30 comes out with a deviation near 1, not 0.5).
        Assert.True(Ks(mixture, values) < 0.05, $"KS {Ks(mixture, values)}");
        // Each true mode's weight is carried by fitted components centred on it (a mode may be split
        // among several while the variational fit has not merged them; scikit-learn's does the same).
        foreach (var (weight, mean, deviation) in truth)
        {
            var near = Enumerable.Range(0, mixture.Weights.Length).Where(j => Math.Abs(mixture.Means[j] - mean) < 3 * deviation).Sum(j => mixture.Weights[j]);
            Assert.InRange(near, weight - 0.03, weight + 0.03);
        }
        Assert.All(mixture.Deviations, d => Assert.True(d > 0));
        Assert.Equal(1.0, mixture.Weights.Sum(), 9);
    }

    [Fact]
    public void A_long_fit_merges_a_single_normal_into_few_modes_and_the_same_seed_gives_the_same_fit()
    {
        var values = Draw(3_000, [(1.0, 50, 7)]);
        var mixture = BayesianGaussianMixture.Fit(values, seed: 2, maxIterations: 1_000, tolerance: 0);
        Assert.True(mixture.Weights.Count(w => w > ModeSpecificNormalizer.DefaultWeightThreshold) <= 3, string.Join(" ", mixture.Weights));
        Assert.True(Ks(mixture, values) < 0.02);
        var again = BayesianGaussianMixture.Fit(values, seed: 2, maxIterations: 1_000, tolerance: 0);
        Assert.Equal(mixture.Weights, again.Weights);
        Assert.Equal(mixture.Means, again.Means);
        Assert.NotEqual(mixture.Means, BayesianGaussianMixture.Fit(values, seed: 3, maxIterations: 1_000, tolerance: 0).Means);
    }

    [Fact]
    public void Encoding_a_value_and_decoding_it_gives_the_value_back_within_the_clip()
    {
        var values = Draw(4_000, [(0.6, 0, 1), (0.4, 20, 3)]);
        var normalizer = ModeSpecificNormalizer.Fit(values, seed: 5);
        var key = SplitMix64.SeedKey(9);
        for (var row = 0; row < 1_000; row++)
        {
            var (scalar, mode) = normalizer.Transform(values[row], row, key);
            Assert.InRange(scalar, -0.99, 0.99);
            Assert.InRange(mode, 0, normalizer.Modes - 1);
            // Inside ±3.96 deviations of its mode a value comes back exactly (to rounding).
            if (Math.Abs(values[row] - normalizer.Means[mode]) < 3.96 * normalizer.Deviations[mode])
                Assert.Equal(values[row], normalizer.Inverse(scalar, mode), 9);
        }
        Assert.Equal(normalizer.Transform(values[7], 7, key), normalizer.Transform(values[7], 7, key));
    }

    [Fact]
    public void A_column_without_a_finite_value_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BayesianGaussianMixture.Fit([double.NaN, double.PositiveInfinity], seed: 1));
    }
}
