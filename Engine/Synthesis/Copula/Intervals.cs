using System.Text.Json.Nodes;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A discrete column on the copula's scale: each value owns an interval of [0, 1] as wide as its
/// frequency (SDV's frequency encoding). A training row's score is a point drawn inside its value's
/// interval; a sampled score falls in exactly one interval, whose value it becomes. Values are
/// ordered by frequency (categories) or by value (numbers with few distinct values, so that order
/// carries over into correlations). Index i of <see cref="Upper"/> is the end of value i's interval.
/// </summary>
public sealed class Intervals
{
    public Intervals(double[] upper)
    {
        if (upper.Length == 0) throw new ArgumentException("intervals need at least one value.");
        for (var i = 1; i < upper.Length; i++)
            if (!(upper[i] >= upper[i - 1])) throw new FormatException("interval ends must not decrease.");
        upper[^1] = 1;
        Upper = upper;
        // The same ends on the normal scale, so a sampled score finds its value without the normal CDF.
        ScoreUpper = upper.Select(u => u >= 1 ? double.PositiveInfinity : u <= 0 ? double.NegativeInfinity : StandardNormal.InverseCdf(u)).ToArray();
    }

    /// <summary>The interval ends as normal scores: Φ⁻¹(<see cref="Upper"/>).</summary>
    public double[] ScoreUpper { get; }

    /// <summary>The value whose interval holds Φ(<paramref name="z"/>), found on the normal scale.</summary>
    public int ValueAtScore(double z) => FirstEndAbove(ScoreUpper, z);

    /// <summary>The value whose interval holds the probability <paramref name="u"/> (in [0, 1)).</summary>
    public int ValueAtProbability(double u) => FirstEndAbove(Upper, u);

    /// <summary>The first index whose end is above <paramref name="x"/> (the last when none is), by binary search.</summary>
    private static int FirstEndAbove(double[] ends, double x)
    {
        int lo = 0, hi = ends.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (x < ends[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>The end of each value's interval; the last is 1.</summary>
    public double[] Upper { get; }

    public int Count => Upper.Length;

    public double Lower(int index) => index == 0 ? 0 : Upper[index - 1];

    /// <summary>Intervals for the given counts, in the given order.</summary>
    public static Intervals FromCounts(IReadOnlyList<long> counts)
    {
        double total = counts.Sum();
        if (total <= 0) throw new ArgumentException("intervals need a positive count.");
        var upper = new double[counts.Count];
        double running = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            running += counts[i];
            upper[i] = running / total;
        }
        return new Intervals(upper);
    }

    /// <summary>The point of value <paramref name="index"/>'s interval at relative position <paramref name="r"/> in [0, 1).</summary>
    public double Point(int index, double r)
    {
        var low = Lower(index);
        return low + (Upper[index] - low) * r;
    }

    public JsonArray ToJson() => new(Upper.Select(u => (JsonNode?)u).ToArray());

    public static Intervals FromJson(JsonArray json) => new(json.Select(u => u!.GetValue<double>()).ToArray());
}
