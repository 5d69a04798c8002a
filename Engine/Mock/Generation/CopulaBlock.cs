using System.Text;
using RadMah.Engine.Contracts;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Mock.Generation;

/// <summary>
/// The columns a contract's copula or model draws (generator <c>copula</c>), filled together for each chunk:
/// one correlated draw per row that keeps the copula's rules, written as each column's type (numbers rounded to their places,
/// dates as days, categories as their text). A chunk depends only on the seed and the chunk (the contract fixes the grid).
/// </summary>
public sealed class CopulaBlock
{
    private const ulong CopulaSalt = 0x636F70756C615F5FUL; // "copula__"

    private readonly ConstrainedModel _model;
    private readonly int[] _columns;
    private readonly byte[][]?[] _categoryBytes;

    public CopulaBlock(MockContract contract)
    {
        _model = contract.DrawingModel();
        _columns = contract.Columns.Select((c, i) => (c, i)).Where(x => x.c.Generator == MockContract.CopulaGenerator).Select(x => x.i).ToArray();
        _categoryBytes = _model.Sampler.Columns.Select(c => c.Categories?.Select(v => Encoding.UTF8.GetBytes(v)).ToArray()).ToArray();
    }


    /// <summary>Whether column <paramref name="index"/> of the contract is drawn here.</summary>
    public bool Draws(int index) => _columns.Contains(index);

    /// <summary>The copula's own stream for a contract seed, apart from the column generators'.</summary>
    public static ulong KeyFor(long seed) => SplitMix64.Mix64(SplitMix64.SeedKey(unchecked((ulong)seed)) ^ CopulaSalt);

    public void Fill(GeneratedChunk chunk, ulong key)
    {
        var sampled = _model.Sample(chunk.FirstRow, chunk.RowCount, key);
        for (var m = 0; m < _columns.Length; m++)
        {
            var buffer = chunk.Columns[_columns[m]];
            switch (sampled[m])
            {
                case NumericColumn numeric:
                    WriteNumbers(buffer, numeric.Values, chunk.RowCount);
                    break;
                case CategoricalColumn categorical:
                    WriteCategories(buffer, categorical.Codes, _categoryBytes[m]!, chunk.RowCount);
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
                case ColumnType.Int64:
                    buffer.Longs[r] = (long)Math.Clamp(Math.Round(v, MidpointRounding.ToEven), -9e18, 9e18);
                    break;
                case ColumnType.Boolean:
                    buffer.Bools[r] = v != 0;
                    break;
                default:
                    throw new InvalidOperationException($"Column '{spec.Name}': a {spec.Type.ToWire()} column cannot hold the copula's numbers.");
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
