using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// The network a neural model samples with: each row's encoded outputs (before activation) from its
/// latent noise and, for CTGAN, the position of its one-hot condition in the conditional vector.
/// </summary>
public interface ISamplingNetwork : IDisposable
{
    /// <summary>Fills <paramref name="output"/> (rows × width) from <paramref name="noise"/> (rows × noise width) and, when the network is conditional, <paramref name="conditions"/>.</summary>
    void Run(float[] noise, int[]? conditions, int rows, float[] output);
}

/// <summary>
/// A network module run as it was trained (TVAE's decoder; CTGAN's generator as stored before its
/// batch norm was folded for sampling), one block of rows at a time, one block at a time per process.
/// </summary>
internal sealed class ModuleNetwork(Func<Tensor, Tensor> forward, IDisposable owner, int noiseWidth, int conditionWidth, int width) : ISamplingNetwork
{
    private const int Block = 8_192;
    private readonly Lock _gate = new();

    public void Run(float[] noise, int[]? conditions, int rows, float[] output)
    {
        var inputWidth = noiseWidth + conditionWidth;
        var input = new float[(long)rows * inputWidth];
        for (var i = 0; i < rows; i++)
        {
            noise.AsSpan(i * noiseWidth, noiseWidth).CopyTo(input.AsSpan(i * inputWidth));
            if (conditions is not null) input[i * inputWidth + noiseWidth + conditions[i]] = 1;
        }
        lock (_gate)
        {
            using var _ = torch.no_grad();
            for (var start = 0; start < rows; start += Block)
            {
                var size = Math.Min(Block, rows - start);
                using var scope = torch.NewDisposeScope();
                var batch = torch.frombuffer(input, ScalarType.Float32, (long)size * inputWidth, (long)start * inputWidth).view(size, inputWidth).to(TorchRuntime.Device);
                var result = forward(batch).cpu().contiguous();
                result.data<float>().CopyTo(output.AsSpan(start * width, size * width));
            }
        }
    }

    public void Dispose() => owner.Dispose();
}
