using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Neural;

/// <summary>
/// Rows from a trained neural model (TVAE's decoder or CTGAN's generator). Each row's inputs are
/// drawn in C# from its own stream (seed, row): the latent noise, CTGAN's condition, and after the
/// network the choice in each one-hot block (TVAE: the largest output; CTGAN: a draw from its softmax,
/// which is what Gumbel-softmax's argmax samples) and TVAE's Gaussian noise around each scalar. Only
/// the network runs in LibTorch (<see cref="ISamplingNetwork"/>), so a row's value depends on its seed and index alone.
/// </summary>
public sealed class NeuralSampler : IRowSampler, IDisposable
{
    private readonly ISamplingNetwork _network;
    private readonly ConditionSampler? _conditions;
    private readonly float[]? _sigmas;
    private readonly int _noise;
    private readonly JsonObject _networkJson;
    private readonly bool _vectorDraws;

    /// <param name="vectorDraws">Draw the noise and the softmax picks with <see cref="VectorDraws"/> (CTGAN's folded generator); models stored before it keep the one-at-a-time draws.</param>
    public NeuralSampler(TabularEncoding encoding, int noise, ISamplingNetwork network, ConditionSampler? conditions, float[]? sigmas,
        JsonObject networkJson, byte[] weights, bool vectorDraws = false)
    {
        _vectorDraws = vectorDraws;
        Encoding = encoding;
        _noise = noise;
        _network = network;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<TableColumn> Redraw(IReadOnlyList<long> rows, ulong seedKey)
    {
        var n = rows.Count;
        // A chunk's noise and outputs are tens of MB: pooled, so chunk after chunk reuses the same memory.
        var noise = ArrayPool<float>.Shared.Rent(checked(n * _noise));
        var output = ArrayPool<float>.Shared.Rent(checked(n * Encoding.Width));
        try
        {
            var conditions = _conditions is null ? null : new int[n];
            var scratch = new double[VectorDraws.GaussianScratch(_noise)];
            for (var i = 0; i < n; i++)
            {
                var random = SplitMix64.ForCell(seedKey, rows[i], 0);
                var row = noise.AsSpan(i * _noise, _noise);
                if (_vectorDraws) VectorDraws.Gaussians(ref random, row, scratch);
                else
                    for (var d = 0; d < _noise; d += 2)
                    {
                        random.NextGaussianPair(out var a, out var b);
                        row[d] = (float)a;
                        if (d + 1 < _noise) row[d + 1] = (float)b;
                    }
                if (conditions is not null) conditions[i] = _conditions!.SampleOriginal(ref random);
            }
            _network.Run(noise, conditions, n, output);
            if (_vectorDraws) ActivateAcrossRows(output, rows, seedKey);
            else
            {
                var weights = new double[Encoding.Width];
                for (var i = 0; i < n; i++) Activate(output.AsSpan(i * Encoding.Width, Encoding.Width), SplitMix64.ForCell(seedKey, rows[i], 1), weights);
            }
            return Encoding.Decode(output, n);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(noise);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    /// <summary>
    /// CTGAN's activation with <see cref="VectorDraws"/>, sixteen rows at a time: tanh on each scalar; each one-hot block's value
    /// drawn from its softmax with the row's uniforms, one per block in order from the row's stream, as <see cref="Activate"/> draws them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ActivateAcrossRows(float[] output, IReadOnlyList<long> rows, ulong seedKey)
    {
        const int lanes = VectorDraws.RowsAtOnce;
        var width = Encoding.Width;
        var oneHots = Encoding.Spans.Count(s => s.Kind == SpanKind.OneHot);
        var uniforms = new double[oneHots * lanes];
        var columns = new float[Encoding.Spans.Select(s => s.Width).DefaultIfEmpty(1).Max() * lanes];
        for (var first = 0; first < rows.Count; first += lanes)
        {
            var count = Math.Min(lanes, rows.Count - first);
            for (var r = 0; r < count; r++)
            {
                var random = SplitMix64.ForCell(seedKey, rows[first + r], 1);
                for (var k = 0; k < oneHots; k++) uniforms[k * lanes + r] = random.NextDouble();
            }
            var block = 0;
            foreach (var span in Encoding.Spans)
            {
                if (span.Kind == SpanKind.Scalar)
                {
                    for (var r = 0; r < count; r++)
                    {
                        ref var value = ref output[(first + r) * width + span.Start];
                        value = (float)Math.Tanh(value);
                    }
                    continue;
                }
                VectorDraws.SoftmaxPicks(output, first, count, width, span.Start, span.Width, uniforms.AsSpan(block++ * lanes, lanes), columns);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Activate(Span<float> row, SplitMix64 random, double[] weights)
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
            var chosen = _sigmas is not null ? ArgMax(block) : SoftmaxDraw(block, random.NextDouble(), weights);
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

    // Each weight is computed once and kept in the scratch: the same numbers as computing each twice, so stored models pick as before.
    private static int SoftmaxDraw(ReadOnlySpan<float> logits, double u, Span<double> scratch)
    {
        var max = logits[ArgMax(logits)];
        var weights = scratch[..logits.Length];
        double total = 0;
        for (var i = 0; i < logits.Length; i++) total += weights[i] = Math.Exp(logits[i] - max);
        var pick = u * total;
        for (var i = 0; i < logits.Length; i++)
        {
            pick -= weights[i];
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

    public void Dispose() => _network.Dispose();
}
