using System.Numerics;

namespace RadMah.Engine.Analysis.Sketches;

/// <summary>
/// HyperLogLog distinct counter (Flajolet et al. 2007) over 64-bit hashes, 2^14 registers: about
/// 0.8% standard error in 16 KB, whatever the number of values. Small cardinalities use linear
/// counting; 64-bit hashes need no large-range correction.
/// </summary>
public sealed class HyperLogLog
{
    public const int Precision = 14;
    private const int Registers = 1 << Precision;
    private readonly byte[] _registers = new byte[Registers];

    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        // Rank of the first 1 bit in the remaining 50 bits (1-based); all zeros rank 51.
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers[index]) _registers[index] = rank;
    }

    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var r in _registers)
        {
            sum += Math.ScaleB(1.0, -r);
            if (r == 0) zeros++;
        }
        const double alpha = 0.7213 / (1 + 1.079 / Registers);
        var estimate = alpha * Registers * Registers / sum;
        if (estimate <= 2.5 * Registers && zeros > 0) estimate = Registers * Math.Log((double)Registers / zeros);
        return (long)Math.Round(estimate);
    }
}
