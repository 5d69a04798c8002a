using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Quality;

/// <summary>
/// The floor a model must clear: each column drawn with replacement from its own training values, so
/// every column keeps its shape and every relation between columns is lost. A model scoring below it
/// has learned less about the table than it has lost.
/// </summary>
public static class IndependentBaseline
{
    public const string Method = "each column drawn on its own from the training rows (shapes kept, relations lost)";

    public static IReadOnlyList<TableColumn> Sample(IReadOnlyList<TableColumn> real, int rows, long seed)
    {
        var key = SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x696E646570UL);
        return real.Select((column, c) => column.AtRows([.. Enumerable.Range(0, rows).Select(r => (int)SplitMix64.ForCell(key, r, c).NextBelow((ulong)column.Length))]))
            .ToArray();
    }
}
