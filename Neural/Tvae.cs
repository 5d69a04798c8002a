using RadMah.Engine.Synthesis.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>TVAE's hyperparameters, SDV's defaults.</summary>
public sealed record TvaeOptions
{
    public int Epochs { get; init; } = 300;
    public int BatchSize { get; init; } = 500;
    public int[] Compress { get; init; } = [128, 128];
    public int Embedding { get; init; } = 128;
    public int[] Decompress { get; init; } = [128, 128];
    public double L2Scale { get; init; } = 1e-5;
    public double LossFactor { get; init; } = 2;
    public double LearningRate { get; init; } = 1e-3;
}

/// <summary>
/// TVAE (Xu et al., 2019) as SDV writes it: an encoder to a Gaussian latent, a decoder back to the
/// encoded row, trained on the evidence lower bound, where scalar blocks are Gaussian around tanh of
/// the output (with a learned deviation per output) and one-hot blocks are categorical. Trains on
/// <see cref="TabularEncoding"/>'s matrix; samples by decoding standard-normal latents.
/// </summary>
public sealed class Tvae : IDisposable
{
    private readonly Sequential _encoder;
    private readonly Linear _mean;
    private readonly Linear _logVariance;
    private readonly Sequential _decoder;
    private readonly Parameter _sigma;
    private readonly IReadOnlyList<EncodedSpan> _spans;
    private readonly TvaeOptions _options;
    private readonly int _width;

    /// <summary>
    /// LibTorch draws initial weights from its process-wide generator: models are built one at a time,
    /// right after seeding it, so a seed gives the same weights whatever else the process is doing.
    /// Training and sampling then draw only from generators of their own.
    /// </summary>
    private static readonly Lock Construction = new();

    public Tvae(int width, IReadOnlyList<EncodedSpan> spans, TvaeOptions options, long seed)
    {
        _width = width;
        _spans = spans;
        _options = options;
        var device = TorchRuntime.Device;
        using var _ = Construction.EnterScope();
        torch.manual_seed(seed);
        var encoder = new List<(string, nn.Module<Tensor, Tensor>)>();
        var inputs = width;
        for (var i = 0; i < options.Compress.Length; i++)
        {
            encoder.Add(($"linear{i}", nn.Linear(inputs, options.Compress[i])));
            encoder.Add(($"relu{i}", nn.ReLU()));
            inputs = options.Compress[i];
        }
        _encoder = nn.Sequential(encoder).to(device);
        _mean = nn.Linear(inputs, options.Embedding).to(device);
        _logVariance = nn.Linear(inputs, options.Embedding).to(device);
        var decoder = new List<(string, nn.Module<Tensor, Tensor>)>();
        inputs = options.Embedding;
        for (var i = 0; i < options.Decompress.Length; i++)
        {
            decoder.Add(($"linear{i}", nn.Linear(inputs, options.Decompress[i])));
            decoder.Add(($"relu{i}", nn.ReLU()));
            inputs = options.Decompress[i];
        }
        decoder.Add(("output", nn.Linear(inputs, width)));
        _decoder = nn.Sequential(decoder).to(device);
        _sigma = new Parameter(torch.ones(width, device: device) * 0.1);
    }

    /// <summary>Losses of each epoch, as training went.</summary>
    public List<double> EpochLosses { get; } = [];

    private IEnumerable<Parameter> Parameters() =>
        _encoder.parameters().Concat(_mean.parameters()).Concat(_logVariance.parameters()).Concat(_decoder.parameters()).Append(_sigma);

    /// <summary>Trains on <paramref name="rows"/> encoded rows; stops between batches when canceled.</summary>
    public void Train(float[] data, int rows, long seed, CancellationToken cancellationToken, Action<int, double>? epochDone = null)
    {
        var device = TorchRuntime.Device;
        using var all = torch.tensor(data, [rows, _width]).to(device);
        using var optimizer = optim.Adam(Parameters(), lr: _options.LearningRate, weight_decay: _options.L2Scale);
        var generator = new torch.Generator(unchecked((ulong)seed));
        for (var epoch = 0; epoch < _options.Epochs; epoch++)
        {
            using var order = torch.randperm(rows, generator: generator);
            double total = 0;
            var batches = 0;
            for (var start = 0; start < rows; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(_options.BatchSize, rows - start));
                var real = all.index_select(0, index);
                optimizer.zero_grad();
                var hidden = _encoder.forward(real);
                var mu = _mean.forward(hidden);
                var logVariance = _logVariance.forward(hidden);
                var std = torch.exp(0.5 * logVariance);
                var eps = torch.randn(std.shape, generator: generator).to(device);
                var latent = eps * std + mu;
                var reconstructed = _decoder.forward(latent);
                var loss = ReconstructionLoss(reconstructed, real) + KlDivergence(mu, logVariance) / real.shape[0];
                loss.backward();
                optimizer.step();
                using (torch.no_grad()) _sigma.clamp_(0.01, 1.0);
                total += loss.item<float>();
                batches++;
            }
            EpochLosses.Add(total / Math.Max(1, batches));
            epochDone?.Invoke(epoch + 1, EpochLosses[^1]);
        }
    }

    /// <summary>SDV's loss: Gaussian terms for scalars, cross-entropy for one-hots, times the loss factor, per row.</summary>
    private Tensor ReconstructionLoss(Tensor reconstructed, Tensor real)
    {
        Tensor? loss = null;
        foreach (var span in _spans)
        {
            Tensor term;
            if (span.Kind == SpanKind.Scalar)
            {
                var std = _sigma.narrow(0, span.Start, 1);
                var diff = real.narrow(1, span.Start, 1) - torch.tanh(reconstructed.narrow(1, span.Start, 1));
                term = (diff * diff / 2 / (std * std)).sum() + torch.log(std) * real.shape[0];
            }
            else
            {
                var target = real.narrow(1, span.Start, span.Width).argmax(1);
                term = nn.functional.cross_entropy(reconstructed.narrow(1, span.Start, span.Width), target, reduction: nn.Reduction.Sum);
            }
            loss = loss is null ? term : loss + term;
        }
        return loss! * _options.LossFactor / real.shape[0];
    }

    private static Tensor KlDivergence(Tensor mu, Tensor logVariance) =>
        -0.5 * torch.sum(1 + logVariance - mu * mu - logVariance.exp());

    /// <summary>Decodes <paramref name="rows"/> standard-normal latents into activated encoded rows (noisy tanh scalars, one-hot choices).</summary>
    public float[] Sample(int rows, long seed)
    {
        var device = TorchRuntime.Device;
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(unchecked((ulong)seed));
        var latent = torch.randn([rows, _options.Embedding], generator: generator).to(device);
        var output = _decoder.forward(latent);
        var activated = torch.zeros_like(output);
        foreach (var span in _spans)
        {
            var block = output.narrow(1, span.Start, span.Width);
            // A scalar is tanh of the output plus Gaussian noise of its learned deviation, as SDV's inverse transform draws it.
            if (span.Kind == SpanKind.Scalar)
            {
                var noise = torch.randn([rows, 1], generator: generator).to(device) * _sigma.narrow(0, span.Start, 1);
                activated.narrow(1, span.Start, 1).copy_((torch.tanh(block) + noise).clamp(-1, 1));
            }
            else activated.narrow(1, span.Start, span.Width).copy_(nn.functional.one_hot(block.argmax(1), span.Width).to(torch.float32));
        }
        return activated.cpu().data<float>().ToArray();
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _mean.Dispose();
        _logVariance.Dispose();
        _decoder.Dispose();
        _sigma.Dispose();
    }
}
