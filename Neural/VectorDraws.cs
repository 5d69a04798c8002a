using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RadMah.Engine.Randomness;

namespace RadMah.Neural;

/// <summary>
/// Sampling's draws eight or sixteen at a time (.NET's vectorized logarithm, sine, cosine and
/// exponential), for models stored with the folded generator: a row's latent noise, and the softmax
/// picks of sixteen rows at once. The same uniforms from each row's stream, in the same order, as
/// the one-at-a-time draws, with results that may differ from them in the last bits.
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

    /// <summary>Rows <see cref="SoftmaxPicks"/> draws together, one per vector lane.</summary>
    public const int RowsAtOnce = 16;

    /// <summary>
    /// Rows <paramref name="first"/> to first + <paramref name="count"/> (at most <see cref="RowsAtOnce"/>) of a rows ×
    /// <paramref name="rowWidth"/> array each pick a value of the one-hot block [<paramref name="start"/>, start + <paramref name="width"/>)
    /// from the softmax of their outputs there: the first value whose cumulative weight exceeds the row's uniform times the block's total.
    /// The block is left one-hot. Lanes are rows, so no sum or maximum crosses lanes.
    /// </summary>
    /// <param name="columns">Scratch of at least width × <see cref="RowsAtOnce"/> floats.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxPicks(float[] output, int first, int count, int rowWidth, int start, int width, ReadOnlySpan<double> uniforms, float[] columns)
    {
        // Column j holds the rows' outputs j; lanes past count hold 0 and are never written back.
        for (var j = 0; j < width; j++)
            for (var r = 0; r < RowsAtOnce; r++)
                columns[j * RowsAtOnce + r] = r < count ? output[(first + r) * rowWidth + start + j] : 0;
        var max = Column(columns, 0);
        for (var j = 1; j < width; j++) max = Vector512.Max(max, Column(columns, j));
        var total = Vector512<float>.Zero;
        for (var j = 0; j < width; j++)
        {
            var weight = Vector512.Exp(Column(columns, j) - max);
            weight.CopyTo(columns.AsSpan(j * RowsAtOnce, RowsAtOnce));
            total += weight;
        }
        Span<float> drawn = stackalloc float[RowsAtOnce];
        for (var r = 0; r < RowsAtOnce; r++) drawn[r] = r < count ? (float)uniforms[r] : 0;
        var target = Vector512.Create<float>(drawn) * total;
        // The pick is how many cumulative weights stay at or below the target (the last value when all but it do).
        var cumulative = Vector512<float>.Zero;
        var picks = Vector512<int>.Zero;
        for (var j = 0; j < width - 1; j++)
        {
            cumulative += Column(columns, j);
            picks -= Vector512.LessThanOrEqual(cumulative, target).AsInt32();
        }
        for (var r = 0; r < count; r++)
        {
            var block = output.AsSpan((first + r) * rowWidth + start, width);
            block.Clear();
            block[picks[r]] = 1;
        }
    }

    private static Vector512<float> Column(float[] columns, int j) => Vector512.Create<float>(columns.AsSpan(j * RowsAtOnce, RowsAtOnce));

    private static int Pairs(int width) => ((width + 1) / 2 + Lanes - 1) / Lanes * Lanes;
}
