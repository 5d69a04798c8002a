using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Mock.Generators;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>
/// A model's synthetic rows, chunk by chunk, for the dataset writer: modelled columns from the
/// copula, the others from their generators. Every value depends only on (seed, row, column), so the
/// output is the same bytes whatever the thread count or the machine.
/// </summary>
public sealed class ModelSampler : IChunkSource
{
    private const ulong RegeneratedSalt = 0x726567656E5F5F5FUL; // "regen___"
    private const ulong NullSalt = 0x6E756C6C5F726174UL;

    private readonly SynthesisModel _model;
    private readonly long _rows;
    private readonly ulong _copulaKey;
    private readonly ulong _regeneratedKey;
    private readonly ulong _nullKey;
    private readonly int[] _modelledIndex;
    private readonly byte[][]?[] _categoryBytes;
    private readonly IColumnGenerator?[] _generators;

    public ModelSampler(SynthesisModel model, long rows, long seed)
    {
        MockContract.ValidateRows(rows);
        MockContract.ValidateSeed(seed);
        _model = model;
        _rows = rows;
        Columns = model.Codecs.Select(c => c.OutputSpec()).ToArray();
        _copulaKey = SeedKey(seed);
        _regeneratedKey = SplitMix64.Mix64(_copulaKey ^ RegeneratedSalt);
        _nullKey = SplitMix64.Mix64(_copulaKey ^ NullSalt);
        _modelledIndex = new int[model.Codecs.Count];
        _categoryBytes = new byte[][]?[model.Codecs.Count];
        _generators = new IColumnGenerator?[model.Codecs.Count];
        var m = 0;
        for (var c = 0; c < model.Codecs.Count; c++)
        {
            if (model.Codecs[c].IsModelled)
            {
                _modelledIndex[c] = m;
                if (model.Copula.Columns[m] is DiscreteColumn { Categories: { } categories })
                    _categoryBytes[c] = categories.Select(v => Encoding.UTF8.GetBytes(v ?? "")).ToArray();
                m++;
            }
            else
            {
                _modelledIndex[c] = -1;
                _generators[c] = GeneratorFactory.CreateAll([Columns[c]])[0];
            }
        }
    }

    /// <summary>The copula's seed key for a job seed: evaluation samples the same rows with it.</summary>
    public static ulong SeedKey(long seed) => SplitMix64.SeedKey(unchecked((ulong)seed));

    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>
    /// The modelled columns of the first <paramref name="count"/> synthetic rows of a job with
    /// <paramref name="seed"/>: the same values its files hold, for the quality and privacy reports.
    /// </summary>
    public static IReadOnlyList<TableColumn> SampleModelled(SynthesisModel model, long seed, int count, int parallelism, CancellationToken cancellationToken)
    {
        var key = SeedKey(seed);
        var block = MockContract.ChunkRows;
        var blocks = new IReadOnlyList<TableColumn>[(count + block - 1) / block];
        Parallel.For(0, blocks.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            b => blocks[b] = model.Copula.Sample((long)b * block, Math.Min(block, count - b * block), key));
        var columns = new TableColumn[model.Copula.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = blocks.Length == 0 ? model.Copula.Sample(0, 0, key)[c] : blocks[0][c] switch
            {
                NumericColumn n => new NumericColumn(n.Name, [.. blocks.SelectMany(x => ((NumericColumn)x[c]).Values)], n.Role, n.Decimals),
                CategoricalColumn k => new CategoricalColumn(k.Name, [.. blocks.SelectMany(x => ((CategoricalColumn)x[c]).Codes)], k.Categories, k.IsBoolean),
                _ => throw new InvalidOperationException(),
            };
        }
        return columns;
    }

    public int ChunkCount => (int)((_rows + MockContract.ChunkRows - 1) / MockContract.ChunkRows);

    public GeneratedChunk CreateBuffer() => new(Columns.Select(c => new ColumnBuffer(c)).ToArray());

    public void Generate(int index, GeneratedChunk chunk)
    {
        var first = (long)index * MockContract.ChunkRows;
        chunk.Index = index;
        chunk.FirstRow = first;
        chunk.RowCount = (int)Math.Min(MockContract.ChunkRows, _rows - first);
        foreach (var column in chunk.Columns) column.Reset(chunk.RowCount);
        var sampled = _model.Copula.Sample(first, chunk.RowCount, _copulaKey);
        for (var c = 0; c < Columns.Count; c++)
        {
            if (_generators[c] is { } generator)
            {
                generator.Fill(chunk, c, _regeneratedKey);
                if (Columns[c].NullRate > 0) MockDatasetGenerator.ApplyNulls(chunk, c, Columns[c].NullRate, _nullKey);
                continue;
            }
            var buffer = chunk.Columns[c];
            switch (sampled[_modelledIndex[c]])
            {
                case NumericColumn numeric:
                    WriteNumbers(buffer, numeric.Values, chunk.RowCount);
                    break;
                case CategoricalColumn categorical:
                    WriteCategories(buffer, categorical.Codes, _categoryBytes[c]!, chunk.RowCount);
                    break;
            }
        }
    }

    private static void WriteNumbers(ColumnBuffer buffer, double[] values, int rows)
    {
        var spec = buffer.Spec;
        var scale = spec.Type == ColumnType.Decimal ? Math.Pow(10, spec.Scale) : 1;
        for (var r = 0; r < rows; r++)
        {
            var v = values[r];
            if (double.IsNaN(v))
            {
                buffer.SetNull(r);
                v = 0;
            }
            switch (spec.Type)
            {
                case ColumnType.Date:
                    buffer.Ints[r] = (int)Math.Clamp(Math.Floor(v), -719_162, 2_932_896);
                    break;
                case ColumnType.Decimal:
                    buffer.Longs[r] = (long)Math.Clamp(Math.Round(v * scale, MidpointRounding.ToEven), -9e17, 9e17);
                    break;
                case ColumnType.Timestamp:
                    buffer.Longs[r] = (long)Math.Clamp(Math.Round(v), -62_135_596_800, 253_402_300_799);
                    break;
                default:
                    buffer.Longs[r] = (long)Math.Clamp(Math.Round(v, MidpointRounding.ToEven), -9e18, 9e18);
                    break;
            }
        }
    }

    private static void WriteCategories(ColumnBuffer buffer, int[] codes, byte[][] categories, int rows)
    {
        var boolean = buffer.Spec.Type == ColumnType.Boolean;
        for (var r = 0; r < rows; r++)
        {
            var code = codes[r];
            if (boolean)
            {
                if (code == CategoricalColumn.Null) buffer.SetNull(r);
                else buffer.Bools[r] = categories[code].AsSpan().SequenceEqual("true"u8);
                continue;
            }
            if (code == CategoricalColumn.Null)
            {
                buffer.Text.Append([]);
                buffer.SetNull(r);
            }
            else buffer.Text.Append(categories[code]);
        }
    }
}
