using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generators;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Mock.Generation;

/// <summary>
/// Generates a contract's rows chunk by chunk. Chunk k holds rows [k·ChunkRows, (k+1)·ChunkRows);
/// every value depends only on (seed, row, column), so chunks can be made in any order on any thread.
/// </summary>
public sealed class MockDatasetGenerator
{
    private readonly IColumnGenerator[] _generators;
    private readonly ulong _seedKey;

    public MockDatasetGenerator(MockContract contract)
    {
        contract.Validate();
        Contract = contract;
        _generators = GeneratorFactory.CreateAll(contract.Columns);
        _seedKey = SplitMix64.SeedKey((ulong)contract.Seed);
        _nullSeedKey = SplitMix64.Mix64(_seedKey ^ NullSalt);
        if (contract.Copula is not null || contract.Model is not null)
        {
            _copula = new CopulaBlock(contract);
            _copulaKey = CopulaBlock.KeyFor(contract.Seed);
        }
        // The copula draws its columns' nulls itself; null_rate there only makes the Arrow field nullable.
        _nullRates = contract.Columns.Select((c, i) => _copula?.Draws(i) == true ? 0 : c.NullRate).ToArray();
    }

    private readonly CopulaBlock? _copula;
    private readonly ulong _copulaKey;

    private const ulong NullSalt = 0x6E756C6C5F726174; // "null_rat"
    private readonly ulong _nullSeedKey;
    private readonly double[] _nullRates;

    public MockContract Contract { get; }

    public int ChunkCount => (int)((Contract.Rows + MockContract.ChunkRows - 1) / MockContract.ChunkRows);

    public GeneratedChunk CreateBuffer() => new(Contract.Columns.Select(c => new ColumnBuffer(c)).ToArray());

    /// <summary>Fills <paramref name="chunk"/> (from <see cref="CreateBuffer"/>) with chunk number <paramref name="index"/>.</summary>
    public void Generate(int index, GeneratedChunk chunk)
    {
        var first = (long)index * MockContract.ChunkRows;
        chunk.Index = index;
        chunk.FirstRow = first;
        chunk.RowCount = (int)Math.Min(MockContract.ChunkRows, Contract.Rows - first);
        foreach (var column in chunk.Columns) column.Reset(chunk.RowCount);
        _copula?.Fill(chunk, _copulaKey);
        for (var c = 0; c < _generators.Length; c++)
        {
            _generators[c].Fill(chunk, c, _seedKey);
            if (_nullRates[c] > 0) ApplyNulls(chunk, c, _nullRates[c], _nullSeedKey);
        }
    }

    /// <summary>
    /// Leaves each row of a column null with the column's null_rate, from a stream of its own: the
    /// values the generator drew (and the columns derived from them) are the same with or without nulls.
    /// </summary>
    private static void ApplyNulls(GeneratedChunk chunk, int column, double rate, ulong nullSeedKey)
    {
        var buffer = chunk.Columns[column];
        for (var r = 0; r < chunk.RowCount; r++)
            if (SplitMix64.ForCell(nullSeedKey, chunk.FirstRow + r, column).NextDouble() < rate) buffer.SetNull(r);
    }
}
