namespace RadMah.Engine.Mock.Generation;

/// <summary>Fills one column of a chunk. Implementations draw only from <see cref="Randomness.SplitMix64.ForCell"/> streams, so output depends on row numbers alone.</summary>
public interface IColumnGenerator
{
    void Fill(GeneratedChunk chunk, int columnIndex, ulong seedKey);
}
