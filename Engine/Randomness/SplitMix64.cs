using System.Runtime.CompilerServices;

namespace RadMah.Engine.Randomness;

/// <summary>
/// The platform's random number generator: SplitMix64 (Steele, Lea and Flood, 2014), used as a
/// counter-based generator. Every (seed, row, column) triple gets its own stream whose start is a
/// pure function of that triple, so a row's values never depend on which chunk, thread or silo
/// produced it. The exact algorithm is part of a sealed contract's meaning (contract field
/// <c>prng</c> = <see cref="AlgorithmId"/>); changing anything here requires a new algorithm id.
/// </summary>
/// <remarks>
/// System.Random is not used: its sequence for a given seed is not promised across .NET versions.
/// Stream start: <c>state = Mix64(seedKey ^ Mix64(row * Golden + (column + 1) * ColumnGamma))</c>,
/// where <c>seedKey = Mix64(seed ^ SeedSalt)</c>. Each draw: <c>state += Golden; return Mix64(state)</c>.
/// </remarks>
public struct SplitMix64
{
    public const string AlgorithmId = "splitmix64-row-column/1";

    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong ColumnGamma = 0xD1B54A32D192ED03UL;
    private const ulong SeedSalt = 0x5AD1_4A8F_0C3B_7E29UL;
    private const double TwoPowMinus53 = 1.0 / (1UL << 53);

    private ulong _state;

    public SplitMix64(ulong state) => _state = state;

    /// <summary>Where the stream is: a stream made with this state continues it (a training checkpoint keeps it).</summary>
    public readonly ulong State => _state;

    /// <summary>Derives the per-contract key from the user's seed.</summary>
    public static ulong SeedKey(ulong seed) => Mix64(seed ^ SeedSalt);

    /// <summary>The stream for one cell of the output table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SplitMix64 ForCell(ulong seedKey, long row, int column) =>
        new(Mix64(seedKey ^ Mix64(unchecked((ulong)row * Golden + (ulong)(column + 1) * ColumnGamma))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        _state = unchecked(_state + Golden);
        return Mix64(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * TwoPowMinus53;

    /// <summary>Uniform in (0, 1]: safe to pass to a logarithm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDoubleNonZero() => ((NextUInt64() >> 11) + 1) * TwoPowMinus53;

    /// <summary>Uniform integer in [0, bound) by Lemire's multiply-shift (bias below 2^-64 * bound).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextBelow(ulong bound) => Math.BigMul(NextUInt64(), bound, out _);

    /// <summary>Uniform integer in [min, max] inclusive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long NextInRange(long min, long max) => min + (long)NextBelow((ulong)(max - min) + 1);

    /// <summary>Two independent standard normal draws: both of a Box–Muller pair.</summary>
    public void NextGaussianPair(out double first, out double second)
    {
        var radius = Math.Sqrt(-2.0 * Math.Log(NextDoubleNonZero()));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * NextDouble());
        first = radius * cos;
        second = radius * sin;
    }

    /// <summary>Standard normal draw by the Box–Muller transform (one of the pair is used).</summary>
    public double NextGaussian()
    {
        var u1 = NextDoubleNonZero();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
