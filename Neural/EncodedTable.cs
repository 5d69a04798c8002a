using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// The training table encoded straight into a tensor on the training's device, a block of rows at a
/// time: a training holds the table's columns and this one matrix, never a second whole copy of it.
/// </summary>
internal static class EncodedTable
{
    private const int BlockRows = 16_384;

    public static Tensor ToTensor(TabularEncoding encoding, IReadOnlyList<TableColumn> table, long seed)
    {
        var rows = table.Count == 0 ? 0 : table[0].Length;
        var width = encoding.Width;
        var matrix = torch.zeros([rows, width], device: TorchRuntime.Device);
        using var noGrad = torch.no_grad();
        var buffer = new float[Math.Min(rows, BlockRows) * width];
        for (var start = 0; start < rows; start += BlockRows)
        {
            var count = Math.Min(BlockRows, rows - start);
            var block = count * width == buffer.Length ? buffer : new float[count * width];
            Array.Clear(block);
            encoding.EncodeRows(table, seed, start, count, block);
            using var part = torch.tensor(block, [count, width]);
            using var target = matrix.narrow(0, start, count);
            target.copy_(part);
        }
        return matrix;
    }
}
