using System.Buffers;
using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// CTGAN's generator as sampling runs it: the function of the trained module in eval mode, at less
/// than half its cost per core. Batch norm's running statistics are folded into each layer's weights and bias. Each
/// residual block's output is written in place into one row buffer [h(k-1) … h0, noise] instead of
/// concatenated. The condition is one-hot, so its part of each layer is one weight row (with the
/// bias added in), copied in before the product rather than multiplied. LibTorch only multiplies
/// and applies ReLU; on the CPU it works on the buffer and the output arrays themselves. Stateless
/// past construction: blocks run concurrently.
/// </summary>
internal sealed class FoldedGenerator : ISamplingNetwork
{
    private const int Block = 1_024;

    private readonly Layer[] _hidden;
    private readonly Layer _output;
    private readonly int _noiseWidth;
    private readonly int _bufferWidth;
    private readonly int _width;

    /// <summary>
    /// One linear layer: the transposed weights over the buffer's columns it reads, and its bias plus the condition's weights,
    /// one row of <paramref name="Outputs"/> per condition; it writes the buffer's columns from <paramref name="Offset"/>.
    /// </summary>
    private sealed record Layer(Tensor Dense, float[] BiasByCondition, int Offset, int Outputs);

    /// <summary>
    /// Folds the named generator state (<see cref="Ctgan.SamplingState"/>). <paramref name="conditionWidth"/> 0 means an
    /// unconditional generator: each layer's bias is then its only row.
    /// </summary>
    public FoldedGenerator(IReadOnlyDictionary<string, Tensor> state, int noiseWidth, int conditionWidth, IReadOnlyList<int> dims, int width)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        _noiseWidth = noiseWidth;
        _width = width;
        _bufferWidth = noiseWidth + dims.Sum();
        _hidden = new Layer[dims.Count];
        var offset = _bufferWidth - noiseWidth;
        for (var i = 0; i < dims.Count; i++)
        {
            var prefix = $"generator.seq.residual{i}.";
            // Scalars and alphas passed as constants: an operator's temporary Scalar may be freed mid-call (Constant).
            var scale = state[prefix + "bn.weight"].div(torch.sqrt(state[prefix + "bn.running_var"].add(Constant.BatchNormEpsilon, Constant.One)));
            var bias = state[prefix + "fc.bias"].add(state[prefix + "bn.running_mean"], Constant.MinusOne).mul(scale).add(state[prefix + "bn.bias"], Constant.One);
            offset -= dims[i];
            _hidden[i] = Split(state[prefix + "fc.weight"] * scale.unsqueeze(1), bias, conditionWidth, offset, dims[i]);
        }
        _output = Split(state["generator.seq.output.weight"], state["generator.seq.output.bias"], conditionWidth, 0, width);
    }

    // The layer's input columns are [h(i-1) … h0, noise, condition]: the buffer from the block after its own, then the condition.
    private Layer Split(Tensor weight, Tensor bias, int conditionWidth, int offset, int outputs)
    {
        var dense = weight.narrow(1, 0, weight.shape[1] - conditionWidth).t().contiguous().to(TorchRuntime.Device).MoveToOuterDisposeScope();
        var byCondition = conditionWidth == 0
            ? bias.unsqueeze(0)
            : weight.narrow(1, weight.shape[1] - conditionWidth, conditionWidth).t().add(bias.unsqueeze(0), Constant.One);
        return new Layer(dense, byCondition.contiguous().cpu().data<float>().ToArray(), offset, outputs);
    }

    public void Run(float[] noise, int[]? conditions, int rows, float[] output)
    {
        using var _ = torch.no_grad();
        using var oneThread = TorchRuntime.SingleThreaded();
        var staging = ArrayPool<float>.Shared.Rent(Math.Min(Block, rows) * _bufferWidth);
        try
        {
            for (var start = 0; start < rows; start += Block)
            {
                var size = Math.Min(Block, rows - start);
                for (var i = 0; i < size; i++)
                {
                    var condition = conditions?[start + i] ?? 0;
                    var row = staging.AsSpan(i * _bufferWidth, _bufferWidth);
                    noise.AsSpan((start + i) * _noiseWidth, _noiseWidth).CopyTo(row[^_noiseWidth..]);
                    foreach (var layer in _hidden) layer.BiasByCondition.AsSpan(condition * layer.Outputs, layer.Outputs).CopyTo(row.Slice(layer.Offset, layer.Outputs));
                    _output.BiasByCondition.AsSpan(condition * _width, _width).CopyTo(output.AsSpan((start + i) * _width, _width));
                }
                using var scope = torch.NewDisposeScope();
                // On the CPU, to() returns the same memory: the products below write into staging and output.
                var buffer = Rows(staging, 0, size, _bufferWidth).to(TorchRuntime.Device);
                foreach (var layer in _hidden)
                {
                    var hidden = buffer.narrow(1, layer.Offset, layer.Outputs);
                    hidden.addmm_(buffer.narrow(1, layer.Offset + layer.Outputs, _bufferWidth - layer.Offset - layer.Outputs), layer.Dense);
                    hidden.relu_();
                }
                var host = Rows(output, start, size, _width);
                var result = host.to(TorchRuntime.Device);
                result.addmm_(buffer, _output.Dense);
                if (result.device_type != host.device_type) host.copy_(result);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(staging);
        }
    }

    // Rows start..start+size of a rows × width array, as a tensor over the array's own memory.
    private static Tensor Rows(float[] values, int start, int size, int width) =>
        torch.frombuffer(values, ScalarType.Float32, (long)size * width, (long)start * width).view(size, width);

    public void Dispose()
    {
        foreach (var layer in _hidden.Append(_output)) layer.Dense.Dispose();
    }
}
