using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>TVAE's hyperparameters, SDV's defaults (the job parameters of <see cref="ModelHyperparameters.Tvae"/>).</summary>
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

    public static TvaeOptions From(IReadOnlyDictionary<string, string> h) => new()
    {
        Epochs = ModelHyperparameters.Int(h, "epochs"),
        BatchSize = ModelHyperparameters.Int(h, "batch_size"),
        Compress = ModelHyperparameters.IntList(h, "compress_dims"),
        Embedding = ModelHyperparameters.Int(h, "embedding_dim"),
        Decompress = ModelHyperparameters.IntList(h, "decompress_dims"),
        L2Scale = ModelHyperparameters.Double(h, "l2scale"),
        LossFactor = ModelHyperparameters.Double(h, "loss_factor"),
        LearningRate = ModelHyperparameters.Double(h, "learning_rate"),
    };
}

/// <summary>
/// TVAE (Xu et al., 2019) as SDV writes it: an encoder to a Gaussian latent, a decoder back to the
/// encoded row, trained on the evidence lower bound, where scalar blocks are Gaussian around tanh of
/// the output (with a learned deviation per output) and one-hot blocks are categorical. Trains on
/// <see cref="TabularEncoding"/>'s matrix; <see cref="NeuralSampler"/> samples it by decoding standard-normal latents.
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

    public Tvae(int width, IReadOnlyList<EncodedSpan> spans, TvaeOptions options, long seed)
    {
        _spans = spans;
        _options = options;
        var device = TorchRuntime.Device;
        using var _ = TorchRuntime.SeedWeights(seed);
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
        using var initialSigma = 0.1.ToScalar();
        _sigma = new Parameter(torch.ones(width, device: device).mul(initialSigma));
    }

    /// <summary>The mean reconstruction term of each epoch, as training went.</summary>
    public List<double> ReconstructionLosses { get; } = [];

    /// <summary>The mean KL term of each epoch.</summary>
    public List<double> KlLosses { get; } = [];

    public TvaeOptions Options => _options;

    /// <summary>What sampling needs, by name: the decoder's weights and the learned deviations.</summary>
    public IEnumerable<(string, Tensor)> SamplingState() => NetworkState.Of("decoder.", _decoder).Append(("sigma", (Tensor)_sigma));

    /// <summary>The decoder's output for latent rows (before activation).</summary>
    public Tensor Decode(Tensor latent) => _decoder.forward(latent);

    /// <summary>The learned deviation of each output (used around scalar outputs when sampling).</summary>
    public float[] Sigmas()
    {
        using var _ = torch.no_grad();
        return _sigma.detach().cpu().data<float>().ToArray();
    }

    /// <summary>Switches to sampling: no gradients kept.</summary>
    public void Freeze()
    {
        _decoder.eval();
        foreach (var p in Parameters()) p.requires_grad = false;
    }

    private IEnumerable<Parameter> Parameters() =>
        _encoder.parameters().Concat(_mean.parameters()).Concat(_logVariance.parameters()).Concat(_decoder.parameters()).Append(_sigma);

    /// <summary>Trains on <paramref name="rows"/> encoded rows; stops between batches when canceled.</summary>
    /// <summary>
    /// Trains on the encoded rows in <paramref name="all"/> (<see cref="EncodedTable"/>); stops between batches when canceled. With
    /// <paramref name="checkpoints"/>, starts from the latest checkpoint if there is one, and saves one every few epochs.
    /// </summary>
    public void Train(Tensor all, long seed, CancellationToken cancellationToken, Action<int, double, double>? epochDone = null,
        TrainingCheckpoints? checkpoints = null)
    {
        var device = TorchRuntime.Device;
        var rows = (int)all.shape[0];
        using var optimizer = new AdamOptimizer(Parameters(), _options.LearningRate, weightDecay: _options.L2Scale);
        var generator = new torch.Generator(unchecked((ulong)seed));
        var first = checkpoints?.Load() is { } saved ? Restore(saved, optimizer, generator) : 0;
        for (var epoch = first; epoch < _options.Epochs; epoch++)
        {
            using var order = torch.randperm(rows, generator: generator);
            double reconstruction = 0, kl = 0;
            var batches = 0;
            for (var start = 0; start < rows; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(_options.BatchSize, rows - start));
                var real = all.index_select(0, index);
                optimizer.ZeroGrad();
                var hidden = _encoder.forward(real);
                var mu = _mean.forward(hidden);
                var logVariance = _logVariance.forward(hidden);
                var std = logVariance.mul(Constant.Half).exp();
                var eps = torch.randn(std.shape, generator: generator).to(device);
                var latent = eps.mul(std).add(mu, Constant.One);
                var reconstructed = _decoder.forward(latent);
                var reconstructionLoss = ReconstructionLoss(reconstructed, real);
                using var batchRows = real.shape[0].ToScalar();
                var klLoss = KlDivergence(mu, logVariance).div(batchRows);
                var loss = reconstructionLoss.add(klLoss, Constant.One);
                loss.backward();
                optimizer.Step();
                using (torch.no_grad()) _sigma.clamp_(Constant.SigmaMin, Constant.SigmaMax);
                reconstruction += reconstructionLoss.item<float>();
                kl += klLoss.item<float>();
                batches++;
            }
            ReconstructionLosses.Add(reconstruction / Math.Max(1, batches));
            KlLosses.Add(kl / Math.Max(1, batches));
            epochDone?.Invoke(epoch + 1, ReconstructionLosses[^1], KlLosses[^1]);
            if (checkpoints?.IsDue(epoch + 1, _options.Epochs) == true) checkpoints.Save(Snapshot(epoch + 1, optimizer, generator));
        }
    }

    private IEnumerable<(string, Tensor)> TrainingState() =>
        NetworkState.Of("encoder.", _encoder).Concat(NetworkState.Of("mean.", _mean)).Concat(NetworkState.Of("log_variance.", _logVariance))
            .Concat(SamplingState());

    private byte[] Snapshot(int epoch, AdamOptimizer optimizer, torch.Generator generator)
    {
        using var writer = new TrainingSnapshot.Writer(ModelHyperparameters.Tvae, epoch)
            .Losses(ReconstructionLosses).Losses(KlLosses).Network(TrainingState()).Optimizer(optimizer, "adam").Generator(generator);
        return writer.ToArray();
    }

    private int Restore(byte[] bytes, AdamOptimizer optimizer, torch.Generator generator)
    {
        using var reader = new TrainingSnapshot.Reader(bytes, ModelHyperparameters.Tvae);
        reader.Losses(ReconstructionLosses);
        reader.Losses(KlLosses);
        reader.Network(TrainingState());
        reader.Optimizer(optimizer, "adam");
        reader.Generator(generator);
        return reader.Epoch;
    }

    /// <summary>SDV's loss: Gaussian terms for scalars, cross-entropy for one-hots, times the loss factor, per row.</summary>
    private Tensor ReconstructionLoss(Tensor reconstructed, Tensor real)
    {
        using var rows = real.shape[0].ToScalar();
        using var factor = _options.LossFactor.ToScalar();
        Tensor? loss = null;
        foreach (var span in _spans)
        {
            Tensor term;
            if (span.Kind == SpanKind.Scalar)
            {
                var std = _sigma.narrow(0, span.Start, 1);
                var diff = real.narrow(1, span.Start, 1).add(torch.tanh(reconstructed.narrow(1, span.Start, 1)), Constant.MinusOne);
                term = diff.pow(Constant.Two).div(std.pow(Constant.Two).mul(Constant.Two)).sum().add(torch.log(std).mul(rows), Constant.One);
            }
            else
            {
                var target = real.narrow(1, span.Start, span.Width).argmax(1);
                term = nn.functional.cross_entropy(reconstructed.narrow(1, span.Start, span.Width), target, reduction: nn.Reduction.Sum);
            }
            loss = loss is null ? term : loss.add(term, Constant.One);
        }
        return loss!.mul(factor).div(rows);
    }

    private static Tensor KlDivergence(Tensor mu, Tensor logVariance) =>
        logVariance.add(Constant.One, Constant.One).add(mu.pow(Constant.Two), Constant.MinusOne).add(logVariance.exp(), Constant.MinusOne).sum().mul(Constant.MinusHalf);

    public void Dispose()
    {
        _encoder.Dispose();
        _mean.Dispose();
        _logVariance.Dispose();
        _decoder.Dispose();
        _sigma.Dispose();
    }
}
