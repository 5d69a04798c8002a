using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// Rows from a trained neural model (TVAE's decoder or CTGAN's generator). Each row's inputs are
/// drawn in C# from its own stream (seed, row): the latent noise, CTGAN's condition, and after the
/// network the choice in each one-hot block (TVAE: the largest output; CTGAN: a draw from its softmax,
/// which is what Gumbel-softmax's argmax samples) and TVAE's Gaussian noise around each scalar. Only
/// the network runs in LibTorch, one block at a time, so a row's value depends on its seed and index alone.
/// </summary>
public sealed class NeuralSampler : IRowSampler, IDisposable
{
    /// <summary>Rows per forward pass.</summary>
    private const int Block = 8_192;

    private readonly Func<Tensor, Tensor> _network;
    private readonly IDisposable _owner;
    private readonly ConditionSampler? _conditions;
    private readonly float[]? _sigmas;
    private readonly int _noise;
    private readonly JsonObject _networkJson;
    private readonly Lock _gate = new();

    public NeuralSampler(TabularEncoding encoding, int noise, Func<Tensor, Tensor> network, IDisposable owner, ConditionSampler? conditions, float[]? sigmas,
        JsonObject networkJson, byte[] weights)
    {
        Encoding = encoding;
        _noise = noise;
        _network = network;
        _owner = owner;
        _conditions = conditions is { Columns: > 0 } ? conditions : null;
        _sigmas = sigmas;
        _networkJson = networkJson;
        Weights = weights;
        Columns = [.. encoding.Columns.Select(c => new SampledColumn(c.Name, (c as CategoricalColumn)?.Categories))];
    }

    public TabularEncoding Encoding { get; }

    /// <summary>The network's weights as <see cref="NetworkState"/> writes them.</summary>
    public byte[] Weights { get; }

    public IReadOnlyList<SampledColumn> Columns { get; }

    public IReadOnlyList<TableColumn> Sample(long firstRow, int count, ulong seedKey)
    {
        var rows = new long[count];
        for (var i = 0; i < count; i++) rows[i] = firstRow + i;
        return Redraw(rows, seedKey);
    }

    public IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey)
    {
        var n = rows.Count;
        var width = Encoding.Width;
        var inputWidth = _noise + (_conditions?.Width ?? 0);
        var input = new float[(long)n * inputWidth];
        for (var i = 0; i < n; i++)
        {
            var random = SplitMix64.ForCell(seedKey, rows[i], 0);
            var row = input.AsSpan(i * inputWidth, inputWidth);
            for (var d = 0; d < _noise; d += 2)
            {
                random.NextGaussianPair(out var a, out var b);
                row[d] = (float)a;
                if (d + 1 < _noise) row[d + 1] = (float)b;
            }
            _conditions?.SampleOriginal(ref random, row[_noise..]);
        }
        var output = new float[(long)n * width];
        lock (_gate)
        {
            using var _ = torch.no_grad();
            for (var start = 0; start < n; start += Block)
            {
                var size = Math.Min(Block, n - start);
                using var scope = torch.NewDisposeScope();
                var batch = torch.tensor(input.AsSpan(start * inputWidth, size * inputWidth).ToArray(), [size, inputWidth]).to(TorchRuntime.Device);
                var result = _network(batch).cpu().contiguous();
                result.data<float>().CopyTo(output.AsSpan(start * width, size * width));
            }
        }
        for (var i = 0; i < n; i++) Activate(output.AsSpan(i * width, width), SplitMix64.ForCell(seedKey, rows[i], 1));
        return Encoding.Decode(output, n);
    }

    private void Activate(Span<float> row, SplitMix64 random)
    {
        foreach (var span in Encoding.Spans)
        {
            var block = row.Slice(span.Start, span.Width);
            if (span.Kind == SpanKind.Scalar)
            {
                var value = Math.Tanh(block[0]);
                if (_sigmas is not null) value = Math.Clamp(value + _sigmas[span.Start] * random.NextGaussian(), -1, 1);
                block[0] = (float)value;
                continue;
            }
            var chosen = _sigmas is not null ? ArgMax(block) : SoftmaxDraw(block, random.NextDouble());
            block.Clear();
            block[chosen] = 1;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private static int SoftmaxDraw(ReadOnlySpan<float> logits, double u)
    {
        var max = logits[ArgMax(logits)];
        double total = 0;
        foreach (var v in logits) total += Math.Exp(v - max);
        var pick = u * total;
        for (var i = 0; i < logits.Length; i++)
        {
            pick -= Math.Exp(logits[i] - max);
            if (pick < 0) return i;
        }
        return logits.Length - 1;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["network"] = _networkJson.DeepClone(),
            ["encoding"] = Encoding.ToJson(),
            ["weights"] = Convert.ToBase64String(Weights),
        };
        if (_conditions is not null)
            json["conditions"] = new JsonArray([.. _conditions.Probabilities.Select(p => (JsonNode)new JsonArray([.. p.Select(v => (JsonNode)v)]))]);
        return json;
    }

    public void Dispose() => _owner.Dispose();
}
