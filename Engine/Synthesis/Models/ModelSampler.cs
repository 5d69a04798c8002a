using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>A model's synthetic values, as the reports score them.</summary>
public static class ModelSampler
{
    /// <summary>
    /// The modelled columns of the first <paramref name="count"/> synthetic rows of a job with
    /// <paramref name="seed"/>: the values its files hold (<see cref="SynthesisModel.ToContract"/>).
    /// </summary>
    public static IReadOnlyList<TableColumn> SampleModelled(SynthesisModel model, long seed, int count, int parallelism, CancellationToken cancellationToken)
    {
        var key = CopulaBlock.KeyFor(seed);
        var block = MockContract.ChunkRows;
        var blocks = new IReadOnlyList<TableColumn>[(count + block - 1) / block];
        Parallel.For(0, blocks.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            b => blocks[b] = model.Model.Sample((long)b * block, Math.Min(block, count - b * block), key));
        if (blocks.Length == 0) return model.Model.Sample(0, 0, key);
        var columns = new TableColumn[model.Model.Sampler.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = blocks[0][c] switch
            {
                NumericColumn n => new NumericColumn(n.Name, [.. blocks.SelectMany(x => ((NumericColumn)x[c]).Values)], n.Role, n.Decimals),
                CategoricalColumn k => new CategoricalColumn(k.Name, [.. blocks.SelectMany(x => ((CategoricalColumn)x[c]).Codes)], k.Categories, k.IsBoolean),
                _ => throw new InvalidOperationException(),
            };
        }
        return columns;
    }
}
