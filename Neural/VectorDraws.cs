using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RadMah.Engine.Randomness;

namespace RadMah.Neural;

/// <summary>
/// A sampling row's draws eight or sixteen at a time (.NET's vectorized logarithm, sine, cosine and
/// exponential), for models stored with the folded generator: the same uniforms from the row's
/// stream, in the same order, as the one-at-a-time draws, with results that may differ from them
/// in the last bits.
/// </summary>
internal static class VectorDraws
{
    private const int Lanes = 8;

    /// <summary>Scratch of this many doubles serves <see cref="Gaussians"/> for <paramref name="width"/> values.</summary>
    public static int GaussianScratch(int width) => 4 * Pairs(width);

    /// <summary>Standard normal values by the Box–Muller transform: the k-th uniform pair gives values 2k and 2k+1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gaussians(ref SplitMix64 random, Span<float> values, Span<double> scratch)
    {
        var pairs = Pairs(values.Length);
        var radii = scratch[..pairs];
        var angles = scratch.Slice(pairs, pairs);
        var first = scratch.Slice(2 * pairs, pairs);
        var second = scratch.Slice(3 * pairs, pairs);
        var drawn = (values.Length + 1) / 2;
        for (var k = 0; k < pairs; k++)
        {
            // Lanes past the values' pairs get harmless inputs; their results are not read.
            radii[k] = k < drawn ? random.NextDoubleNonZero() : 1;
            angles[k] = k < drawn ? random.NextDouble() : 0;
        }
        for (var k = 0; k < pairs; k += Lanes)
        {
            var radius = Vector512.Sqrt(Vector512.Log(Vector512.Create(radii.Slice(k, Lanes))) * -2.0);
            var (sin, cos) = Vector512.SinCos(Vector512.Create(angles.Slice(k, Lanes)) * (2.0 * Math.PI));
            (radius * cos).CopyTo(first.Slice(k, Lanes));
            (radius * sin).CopyTo(second.Slice(k, Lanes));
        }
        for (var d = 0; d < values.Length; d++) values[d] = (float)((d & 1) == 0 ? first[d >> 1] : second[d >> 1]);
    }

    /// <summary>Scratch of this many floats serves <see cref="SoftmaxDraw"/> for blocks up to <paramref name="width"/> wide.</summary>
    public static int SoftmaxScratch(int width) => (width + 15) / 16 * 16;

    /// <summary>The index a uniform <paramref name="u"/> picks from the softmax of <paramref name="logits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SoftmaxDraw(ReadOnlySpan<float> logits, double u, Span<float> scratch)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        var padded = scratch[..SoftmaxScratch(logits.Length)];
        for (var i = 0; i < logits.Length; i++) padded[i] = logits[i] - max;
        // exp(-100) underflows to 0 in single precision: padding adds nothing to the total.
        padded[logits.Length..].Fill(-100f);
        var sum = Vector512<float>.Zero;
        for (var i = 0; i < padded.Length; i += 16)
        {
            var weights = Vector512.Exp(Vector512.Create(padded.Slice(i, 16)));
            weights.CopyTo(padded.Slice(i, 16));
            sum += weights;
        }
        var pick = u * Vector512.Sum(sum);
        for (var i = 0; i < logits.Length; i++)
        {
            pick -= padded[i];
            if (pick < 0) return i;
        }
        return logits.Length - 1;
    }

    private static int Pairs(int width) => ((width + 1) / 2 + Lanes - 1) / Lanes * Lanes;
}
