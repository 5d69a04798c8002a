using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Generation;

/// <summary>
/// Rows made chunk by chunk, in any order and on any thread (a chunk depends only on its index),
/// which the dataset writer encodes as CSV and Arrow: a mock contract's, or a model's samples.
/// </summary>
public interface IChunkSource
{
    /// <summary>The columns as they are written.</summary>
    IReadOnlyList<ColumnSpec> Columns { get; }

    int ChunkCount { get; }

    /// <summary>A buffer for <see cref="Generate"/>, reused between chunks.</summary>
    GeneratedChunk CreateBuffer();

    /// <summary>Fills <paramref name="chunk"/> with chunk number <paramref name="index"/>.</summary>
    void Generate(int index, GeneratedChunk chunk);
}
