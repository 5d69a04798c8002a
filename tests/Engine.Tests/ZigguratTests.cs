using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;

namespace RadMah.Engine.Tests;

public sealed class ZigguratTests
{
    /// <summary>Draws as a copula takes them: a short stream per row (8 dimensions), 500,000 rows.</summary>
    private static double[] RowDraws()
    {
        var key = SplitMix64.SeedKey(2026);
        var draws = new double[4_000_000];
        for (var row = 0; row < draws.Length / 8; row++)
        {
            var random = SplitMix64.ForCell(key, row, 0);
            for (var d = 0; d < 8; d++) draws[row * 8 + d] = Ziggurat.Next(ref random);
        }
        return draws;
    }

    [Fact]
    public void Draws_follow_the_standard_normal_in_the_body_the_wedges_and_the_tail()
    {
        var draws = RowDraws();
        var n = draws.Length;
        var mean = draws.Average();
        var variance = draws.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(variance, 0.997, 1.003);

        // Kolmogorov–Smirnov against Φ: √n D under 1.95 (a normal sample exceeds it one time in a thousand).
        Array.Sort(draws);
        double largest = 0;
        for (var i = 0; i < n; i++)
        {
            var cdf = StandardNormal.Cdf(draws[i]);
            largest = Math.Max(largest, Math.Max(cdf - (double)i / n, (double)(i + 1) / n - cdf));
        }
        Assert.True(Math.Sqrt(n) * largest < 1.95, $"√n D = {Math.Sqrt(n) * largest:F3}");

        // Bins a quarter wide over [−4, 4] and both tails: the layers' edges, wedges and tail each fall in several.
        var edges = Enumerable.Range(0, 33).Select(i => -4 + 0.25 * i).ToArray();
        var counts = new long[edges.Length + 1];
        foreach (var x in draws)
        {
            var bin = Array.BinarySearch(edges, x);
            counts[bin >= 0 ? bin + 1 : ~bin]++;
        }
        double chiSquare = 0;
        for (var b = 0; b < counts.Length; b++)
        {
            var lower = b == 0 ? 0 : StandardNormal.Cdf(edges[b - 1]);
            var upper = b == edges.Length ? 1 : StandardNormal.Cdf(edges[b]);
            var expected = n * (upper - lower);
            chiSquare += (counts[b] - expected) * (counts[b] - expected) / expected;
        }
        Assert.True(chiSquare < 64, $"χ² = {chiSquare:F1} over {counts.Length} bins (33 degrees of freedom: 64 is the 0.1% point)");

        // The tail beyond the base layer, drawn by its own method: 2 (1 − Φ(r)) of the draws, and further out as rare as it should be.
        var beyond = draws.LongCount(x => Math.Abs(x) > Ziggurat.TailStart);
        var expectedBeyond = 2 * n * (1 - StandardNormal.Cdf(Ziggurat.TailStart));
        Assert.InRange(beyond, expectedBeyond - 6 * Math.Sqrt(expectedBeyond), expectedBeyond + 6 * Math.Sqrt(expectedBeyond));
        var farOut = draws.LongCount(x => Math.Abs(x) > 4.5);
        Assert.InRange(farOut, 10, 50); // 27 expected
    }

    [Fact]
    public void A_streams_draws_are_a_function_of_its_start_only_and_do_not_change()
    {
        var a = new SplitMix64(0);
        var b = new SplitMix64(0);
        for (var i = 0; i < 100_000; i++) Assert.Equal(Ziggurat.Next(ref a), Ziggurat.Next(ref b));
        Assert.Equal(a.State, b.State);

        // A sealed model's rows depend on these draws: any change to the method is a new synthesis revision.
        var pinned = new SplitMix64(0);
        Assert.Equal([-1.0759780100607774, -0.24482234171542624, -0.050080327336388092], new[] { Ziggurat.Next(ref pinned), Ziggurat.Next(ref pinned), Ziggurat.Next(ref pinned) });
    }
}
