using RadMah.Engine.Randomness;

namespace RadMah.Engine.Tests;

public class SplitMix64Tests
{
    [Fact]
    public void Matches_the_reference_SplitMix64_sequence()
    {
        // Reference values of SplitMix64 (Vigna's splitmix64.c) started from state 0.
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, rng.NextUInt64());
    }

    [Fact]
    public void Cell_streams_depend_only_on_seed_row_and_column()
    {
        var key = SplitMix64.SeedKey(42);
        var a = SplitMix64.ForCell(key, 123_456, 3);
        var b = SplitMix64.ForCell(key, 123_456, 3);
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var otherRow = SplitMix64.ForCell(key, 123_457, 3);
        var otherColumn = SplitMix64.ForCell(key, 123_456, 4);
        var otherSeed = SplitMix64.ForCell(SplitMix64.SeedKey(43), 123_456, 3);
        var first = SplitMix64.ForCell(key, 123_456, 3).NextUInt64();
        Assert.NotEqual(first, otherRow.NextUInt64());
        Assert.NotEqual(first, otherColumn.NextUInt64());
        Assert.NotEqual(first, otherSeed.NextUInt64());
    }

    [Fact]
    public void Bounded_draws_stay_in_range_and_cover_it()
    {
        var rng = new SplitMix64(7);
        var seen = new bool[10];
        for (var i = 0; i < 10_000; i++)
        {
            var v = rng.NextInRange(-3, 6);
            Assert.InRange(v, -3, 6);
            seen[v + 3] = true;
            var d = rng.NextDouble();
            Assert.InRange(d, 0.0, 0.9999999999999999);
        }
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public void Gaussian_draws_have_unit_moments()
    {
        var rng = new SplitMix64(11);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var z = rng.NextGaussian();
            sum += z;
            sumSq += z * z;
        }
        var mean = sum / n;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(sumSq / n - mean * mean, 0.98, 1.02);
    }
}
