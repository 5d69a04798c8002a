using System.Runtime.CompilerServices;

namespace RadMah.Engine.Randomness;

/// <summary>
/// Standard normal draws by the ziggurat method (Marsaglia and Tsang, 2000; the layer table as in Doornik, 2005), from a
/// <see cref="SplitMix64"/> stream. About 99% of draws cost one step of the stream, a table look-up and a multiply; the
/// rest (a wedge or the tail beyond <see cref="TailStart"/>) draw more from the same stream, so a stream's draws are a pure
/// function of its start, as <see cref="SplitMix64.NextGaussianPair"/>'s are. Box–Muller costs a logarithm, a square root
/// and a sine and cosine per pair; models sealed with it keep it.
/// </summary>
/// <remarks>
/// One 64-bit step gives the layer (its low 8 bits), the sign (bit 8) and a 53-bit position along the layer (bits 11–63).
/// The layers' edges are computed once with <see cref="Math.Exp"/> and <see cref="Math.Log"/>, as Box–Muller's draws use
/// them every time.
/// </remarks>
public static class Ziggurat
{
    private const int Layers = 256;

    /// <summary>Where the base layer's tail begins: with 256 layers of equal area, r = 3.6541528853610088.</summary>
    public const double TailStart = 3.6541528853610088;

    /// <summary>Each layer's area (under exp(−x²/2), one side), the base layer counting its tail.</summary>
    private const double LayerArea = 4.928673233974658e-3;

    private const double TwoPowMinus53 = 1.0 / (1UL << 53);

    /// <summary>Layer i covers x in [0, Edge[i]); Edge[0] is the base layer's width as a rectangle of the layers' area.</summary>
    private static readonly double[] Edge = new double[Layers + 1];

    /// <summary>exp(−Edge[i]²/2): the height of layer i's lower side.</summary>
    private static readonly double[] Height = new double[Layers + 1];

    /// <summary>Edge[i + 1] / Edge[i]: a position below it is inside the layer's rectangle, under the curve everywhere.</summary>
    private static readonly double[] Inside = new double[Layers];

    static Ziggurat()
    {
        var f = Math.Exp(-0.5 * TailStart * TailStart);
        Edge[0] = LayerArea / f;
        Edge[1] = TailStart;
        Height[0] = 0;
        Height[1] = f;
        for (var i = 2; i < Layers; i++)
        {
            Edge[i] = Math.Sqrt(-2 * Math.Log(LayerArea / Edge[i - 1] + f));
            f = Math.Exp(-0.5 * Edge[i] * Edge[i]);
            Height[i] = f;
        }
        Edge[Layers] = 0;
        Height[Layers] = 1;
        for (var i = 0; i < Layers; i++) Inside[i] = Edge[i + 1] / Edge[i];
    }

    /// <summary>The next standard normal draw of <paramref name="random"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Next(ref SplitMix64 random)
    {
        var bits = random.NextUInt64();
        var layer = (int)(bits & 0xFF);
        var position = (bits >> 11) * TwoPowMinus53;
        if (position < Inside[layer])
        {
            var x = position * Edge[layer];
            return (bits & 0x100) == 0 ? x : -x;
        }
        return Rare(ref random, bits);
    }

    /// <summary>A draw outside the layers' rectangles: a wedge's point kept if under the curve, or the tail; otherwise a new draw.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Rare(ref SplitMix64 random, ulong bits)
    {
        while (true)
        {
            var layer = (int)(bits & 0xFF);
            var negative = (bits & 0x100) != 0;
            var position = (bits >> 11) * TwoPowMinus53;
            if (position < Inside[layer])
            {
                var inside = position * Edge[layer];
                return negative ? -inside : inside;
            }
            if (layer == 0)
            {
                // Marsaglia (1964): beyond r, x = r + e₁ / r accepted when 2 e₂ ≥ (e₁ / r)², e₁ and e₂ exponential.
                double excess, exponential;
                do
                {
                    excess = -Math.Log(random.NextDoubleNonZero()) / TailStart;
                    exponential = -Math.Log(random.NextDoubleNonZero());
                } while (2 * exponential < excess * excess);
                return negative ? -(TailStart + excess) : TailStart + excess;
            }
            var x = position * Edge[layer];
            var height = Height[layer] + random.NextDouble() * (Height[layer + 1] - Height[layer]);
            if (height < Math.Exp(-0.5 * x * x)) return negative ? -x : x;
            bits = random.NextUInt64();
        }
    }
}
