using RadMah.Engine.Contracts;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generation;

/// <summary>Picks an index with probability proportional to its weight, from a single 64-bit draw.</summary>
public sealed class WeightedChoice
{
    private readonly ulong[] _thresholds;

    public WeightedChoice(IReadOnlyList<double> weights, string context)
    {
        if (weights.Count == 0) throw new ContractException($"{context}: needs at least one weight.");
        var total = 0.0;
        foreach (var w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w)) throw new ContractException($"{context}: weights must be finite and not negative.");
            total += w;
        }
        if (total <= 0) throw new ContractException($"{context}: weights must not all be zero.");
        _thresholds = new ulong[weights.Count];
        var running = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            running += weights[i];
            var fraction = running / total;
            _thresholds[i] = fraction >= 1.0 ? ulong.MaxValue : (ulong)(fraction * 18446744073709551616.0);
        }
        _thresholds[^1] = ulong.MaxValue;
    }

    public int Count => _thresholds.Length;

    public int Next(ref SplitMix64 rng)
    {
        var x = rng.NextUInt64();
        var t = _thresholds;
        int lo = 0, hi = t.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (x < t[mid]) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
