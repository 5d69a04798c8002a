using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>CTGAN's hyperparameters, SDV's defaults (the job parameters of <see cref="ModelHyperparameters.Ctgan"/>).</summary>
public sealed record CtganOptions
{
    public int Epochs { get; init; } = 300;
    public int BatchSize { get; init; } = 500;
    public int Embedding { get; init; } = 128;
    public int[] GeneratorDims { get; init; } = [256, 256];
    public int[] DiscriminatorDims { get; init; } = [256, 256];
    public double GeneratorLearningRate { get; init; } = 2e-4;
    public double GeneratorDecay { get; init; } = 1e-6;
    public double DiscriminatorLearningRate { get; init; } = 2e-4;
    public double DiscriminatorDecay { get; init; } = 1e-6;
    public int DiscriminatorSteps { get; init; } = 1;
    public int Pac { get; init; } = 10;
    public bool LogFrequency { get; init; } = true;

    /// <summary>Gumbel-softmax temperature of the one-hot outputs in training.</summary>
    public const double Tau = 0.2;

    /// <summary>Weight of the gradient penalty (WGAN-GP).</summary>
    public const double Lambda = 10;

    public static CtganOptions From(IReadOnlyDictionary<string, string> h) => new()
    {
        Epochs = ModelHyperparameters.Int(h, "epochs"),
        BatchSize = ModelHyperparameters.Int(h, "batch_size"),
        Embedding = ModelHyperparameters.Int(h, "embedding_dim"),
        GeneratorDims = ModelHyperparameters.IntList(h, "generator_dim"),
        DiscriminatorDims = ModelHyperparameters.IntList(h, "discriminator_dim"),
        GeneratorLearningRate = ModelHyperparameters.Double(h, "generator_lr"),
        GeneratorDecay = ModelHyperparameters.Double(h, "generator_decay"),
        DiscriminatorLearningRate = ModelHyperparameters.Double(h, "discriminator_lr"),
        DiscriminatorDecay = ModelHyperparameters.Double(h, "discriminator_decay"),
        DiscriminatorSteps = ModelHyperparameters.Int(h, "discriminator_steps"),
        Pac = ModelHyperparameters.Int(h, "pac"),
        LogFrequency = ModelHyperparameters.Bool(h, "log_frequency"),
    };
}

/// <summary>A generator block: Linear, batch norm, ReLU, its input concatenated after.</summary>
internal sealed class Residual : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;
    private readonly BatchNorm1d bn;

    public Residual(long inputs, long outputs) : base(nameof(Residual))
    {
        fc = nn.Linear(inputs, outputs);
        bn = nn.BatchNorm1d(outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => torch.cat([nn.functional.relu(bn.forward(fc.forward(input))), input], 1);
}

/// <summary>CTGAN's generator: residual blocks over noise and condition, then a linear layer to the encoded row.</summary>
internal sealed class Generator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential seq;

    public Generator(int inputs, IReadOnlyList<int> dims, int width) : base(nameof(Generator))
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var dim = inputs;
        for (var i = 0; i < dims.Count; i++)
        {
            layers.Add(($"residual{i}", new Residual(dim, dims[i])));
            dim += dims[i];
        }
        layers.Add(("output", nn.Linear(dim, width)));
        seq = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => seq.forward(input);
}

/// <summary>
/// CTGAN's discriminator: pac rows judged together, hidden layers with LeakyReLU 0.2 and dropout 0.5.
/// Dropout draws from the training's own generator, never LibTorch's process-wide one, so two
/// trainings in one process do not disturb each other's reproducibility.
/// </summary>
internal sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly int _pacWidth;

    public Discriminator(int inputs, IReadOnlyList<int> dims, int pac) : base(nameof(Discriminator))
    {
        _pacWidth = inputs * pac;
        layers = new ModuleList<Linear>();
        var dim = _pacWidth;
        foreach (var d in dims)
        {
            layers.Add(nn.Linear(dim, d));
            dim = d;
        }
        layers.Add(nn.Linear(dim, 1));
        RegisterComponents();
    }

    /// <summary>Set during training: the generator dropout masks come from.</summary>
    public torch.Generator? Dropout { get; set; }

    public override Tensor forward(Tensor input)
    {
        var x = input.view(-1, _pacWidth);
        for (var i = 0; i < layers.Count - 1; i++)
        {
            x = nn.functional.leaky_relu(layers[i].forward(x), 0.2);
            if (Dropout is { } g) x = x.mul(torch.rand(x.shape, generator: g, device: x.device).ge(Constant.Half).to(x.dtype)).mul(Constant.Two);
        }
        return layers[layers.Count - 1].forward(x);
    }
}

/// <summary>
/// CTGAN (Xu et al., 2019) as SDV writes it: a conditional generator trained by sampling against a
/// packed WGAN-GP critic, on <see cref="TabularEncoding"/>'s matrix. Weights are seeded under
/// <see cref="TorchRuntime.SeedWeights"/>; every draw of training (noise, conditions, real rows, Gumbel noise, dropout,
/// penalty mixing) comes from generators of its own, so a seed and a thread count give one model.
/// </summary>
public sealed class Ctgan : IDisposable
{
    private readonly Generator _generator;
    private readonly Discriminator _discriminator;
    private readonly IReadOnlyList<EncodedSpan> _spans;
    private readonly CtganOptions _options;
    private readonly int _width;
    private readonly int _conditionWidth;

    public Ctgan(int width, IReadOnlyList<EncodedSpan> spans, int conditionWidth, CtganOptions options, long seed)
    {
        _spans = spans;
        _options = options;
        _width = width;
        _conditionWidth = conditionWidth;
        var device = TorchRuntime.Device;
        using var _ = TorchRuntime.SeedWeights(seed);
        _generator = new Generator(options.Embedding + conditionWidth, options.GeneratorDims, width);
        _generator.to(device);
        _discriminator = new Discriminator(width + conditionWidth, options.DiscriminatorDims, options.Pac);
        _discriminator.to(device);
    }

    public CtganOptions Options => _options;

    public List<double> GeneratorLosses { get; } = [];

    public List<double> DiscriminatorLosses { get; } = [];

    /// <summary>What sampling needs, by name: the generator's weights and batch-norm statistics.</summary>
    public IEnumerable<(string, Tensor)> SamplingState() => NetworkState.Of("generator.", _generator);

    /// <summary>The generator's output for noise rows with their conditions (before activation).</summary>
    public Tensor Generate(Tensor input) => _generator.forward(input);

    /// <summary>The generator as sampling runs it (<see cref="FoldedGenerator"/>): built from the weights as they are now, and independent of this model once built.</summary>
    public ISamplingNetwork FoldedGenerator() =>
        new FoldedGenerator(SamplingState().ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal), _options.Embedding, _conditionWidth, _options.GeneratorDims, _width);

    /// <summary>Switches to sampling: batch norm uses its running statistics, no gradients kept.</summary>
    public void Freeze()
    {
        _generator.eval();
        foreach (var p in _generator.parameters()) p.requires_grad = false;
    }

    /// <summary>
    /// Trains on the encoded rows in <paramref name="all"/> (<see cref="EncodedTable"/>); stops between batches when canceled. With
    /// <paramref name="checkpoints"/>, starts from the latest checkpoint if there is one, and saves one every few epochs.
    /// </summary>
    public void Train(Tensor all, ConditionSampler conditions, long seed, CancellationToken cancellationToken, Action<int, double, double>? epochDone = null,
        TrainingCheckpoints? checkpoints = null)
    {
        var device = TorchRuntime.Device;
        var batch = _options.BatchSize;
        var rows = (int)all.shape[0];
        using var optimizerG = new AdamOptimizer(_generator.parameters(), _options.GeneratorLearningRate, beta1: 0.5, beta2: 0.9, weightDecay: _options.GeneratorDecay);
        using var optimizerD = new AdamOptimizer(_discriminator.parameters(), _options.DiscriminatorLearningRate, beta1: 0.5, beta2: 0.9, weightDecay: _options.DiscriminatorDecay);
        var generator = new torch.Generator(unchecked((ulong)seed));
        var random = new SplitMix64(SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x637467616EUL));
        var condition = new float[batch * conditions.Width];
        var mask = new float[batch * Math.Max(1, conditions.Columns)];
        var steps = Math.Max(rows / batch, 1);
        _generator.train();
        _discriminator.train();
        _discriminator.Dropout = generator;
        var first = checkpoints?.Load() is { } saved ? Restore(saved, optimizerG, optimizerD, generator, ref random) : 0;
        try
        {
            for (var epoch = first; epoch < _options.Epochs; epoch++)
            {
                double lossG = 0, lossD = 0;
                for (var step = 0; step < steps; step++)
                {
                    for (var n = 0; n < _options.DiscriminatorSteps; n++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var scope = torch.NewDisposeScope();
                        var noise = torch.randn([batch, _options.Embedding], generator: generator).to(device);
                        Tensor real, c1 = null!, c2 = null!;
                        if (conditions.Columns == 0)
                        {
                            real = all.index_select(0, torch.randint(rows, [batch], generator: generator).to(device));
                        }
                        else
                        {
                            var picks = conditions.SampleTraining(batch, ref random, condition, mask);
                            c1 = torch.tensor(condition, [batch, conditions.Width]).to(device);
                            noise = torch.cat([noise, c1], 1);
                            var permutation = Permutation(batch, ref random);
                            var realRows = conditions.RealRows([.. permutation.Select(p => picks[p])], ref random);
                            real = all.index_select(0, torch.tensor(realRows.Select(r => (long)r).ToArray()).to(device));
                            c2 = c1.index_select(0, torch.tensor(permutation.Select(p => (long)p).ToArray()).to(device));
                        }
                        var fake = Activate(_generator.forward(noise), generator);
                        Tensor fakeInput = fake, realInput = real;
                        if (conditions.Columns > 0)
                        {
                            fakeInput = torch.cat([fake, c1], 1);
                            realInput = torch.cat([real, c2], 1);
                        }
                        var yFake = _discriminator.forward(fakeInput);
                        var yReal = _discriminator.forward(realInput);
                        var penalty = GradientPenalty(realInput, fakeInput, generator);
                        var loss = yFake.mean().add(yReal.mean(), Constant.MinusOne);
                        optimizerD.ZeroGrad();
                        penalty.backward(retain_graph: true);
                        loss.backward();
                        optimizerD.Step();
                        lossD += loss.item<float>();
                    }
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var scope = torch.NewDisposeScope();
                        var noise = torch.randn([batch, _options.Embedding], generator: generator).to(device);
                        Tensor? c1 = null, m1 = null;
                        if (conditions.Columns > 0)
                        {
                            conditions.SampleTraining(batch, ref random, condition, mask);
                            c1 = torch.tensor(condition, [batch, conditions.Width]).to(device);
                            m1 = torch.tensor(mask, [batch, conditions.Columns]).to(device);
                            noise = torch.cat([noise, c1], 1);
                        }
                        var raw = _generator.forward(noise);
                        var fake = Activate(raw, generator);
                        var yFake = _discriminator.forward(c1 is null ? fake : torch.cat([fake, c1], 1));
                        var loss = yFake.mean().neg();
                        if (c1 is not null) loss = loss.add(ConditionLoss(raw, c1, m1!, conditions), Constant.One);
                        optimizerG.ZeroGrad();
                        loss.backward();
                        optimizerG.Step();
                        lossG += loss.item<float>();
                    }
                }
                GeneratorLosses.Add(lossG / steps);
                DiscriminatorLosses.Add(lossD / (steps * _options.DiscriminatorSteps));
                epochDone?.Invoke(epoch + 1, GeneratorLosses[^1], DiscriminatorLosses[^1]);
                if (checkpoints?.IsDue(epoch + 1, _options.Epochs) == true) checkpoints.Save(Snapshot(epoch + 1, optimizerG, optimizerD, generator, random));
            }
        }
        finally
        {
            _discriminator.Dropout = null;
        }
    }

    private IEnumerable<(string, Tensor)> TrainingState() => SamplingState().Concat(NetworkState.Of("discriminator.", _discriminator));

    private byte[] Snapshot(int epoch, AdamOptimizer optimizerG, AdamOptimizer optimizerD, torch.Generator generator, SplitMix64 random)
    {
        using var writer = new TrainingSnapshot.Writer(ModelHyperparameters.Ctgan, epoch)
            .Losses(GeneratorLosses).Losses(DiscriminatorLosses).Network(TrainingState())
            .Optimizer(optimizerG, "generator_adam").Optimizer(optimizerD, "discriminator_adam").Generator(generator).Stream(random.State);
        return writer.ToArray();
    }

    private int Restore(byte[] bytes, AdamOptimizer optimizerG, AdamOptimizer optimizerD, torch.Generator generator, ref SplitMix64 random)
    {
        using var reader = new TrainingSnapshot.Reader(bytes, ModelHyperparameters.Ctgan);
        reader.Losses(GeneratorLosses);
        reader.Losses(DiscriminatorLosses);
        reader.Network(TrainingState());
        reader.Optimizer(optimizerG, "generator_adam");
        reader.Optimizer(optimizerD, "discriminator_adam");
        reader.Generator(generator);
        random = new SplitMix64(reader.Stream());
        return reader.Epoch;
    }

    private static int[] Permutation(int n, ref SplitMix64 random)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)random.NextBelow((ulong)(i + 1));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    /// <summary>tanh for scalars; Gumbel-softmax (τ 0.2, noise from the training's generator) for one-hots.</summary>
    private Tensor Activate(Tensor output, torch.Generator generator)
    {
        var parts = new List<Tensor>(_spans.Count);
        foreach (var span in _spans)
        {
            var block = output.narrow(1, span.Start, span.Width);
            if (span.Kind == SpanKind.Scalar) parts.Add(torch.tanh(block));
            else
            {
                var u = torch.rand(block.shape, generator: generator, device: block.device);
                var gumbel = torch.log(torch.log(u.add(Constant.Tiny, Constant.One)).neg().add(Constant.Tiny, Constant.One)).neg();
                parts.Add(nn.functional.softmax(block.add(gumbel, Constant.One).div(Constant.Tau), 1));
            }
        }
        return torch.cat(parts, 1);
    }

    /// <summary>Cross-entropy of the generated category against the condition, for the picked column only.</summary>
    private static Tensor ConditionLoss(Tensor raw, Tensor condition, Tensor mask, ConditionSampler conditions)
    {
        var losses = new List<Tensor>();
        foreach (var (offset, span) in conditions.Blocks)
        {
            var target = condition.narrow(1, offset, span.Width).argmax(1);
            losses.Add(nn.functional.cross_entropy(raw.narrow(1, span.Start, span.Width), target, reduction: nn.Reduction.None));
        }
        using var rows = raw.shape[0].ToScalar();
        return torch.stack(losses, 1).mul(mask).sum().div(rows);
    }

    /// <summary>WGAN-GP: the critic's gradient norm at random mixes of real and fake packs, pushed towards 1.</summary>
    private Tensor GradientPenalty(Tensor real, Tensor fake, torch.Generator generator)
    {
        var pac = _options.Pac;
        var alpha = torch.rand([real.shape[0] / pac, 1, 1], generator: generator, device: real.device)
            .repeat(1, pac, real.shape[1]).view(-1, real.shape[1]);
        var mixed = fake.lerp(real, alpha).detach().requires_grad_(true);
        var critic = _discriminator.forward(mixed);
        var gradients = torch.autograd.grad([critic], [mixed], [torch.ones_like(critic)], retain_graph: true, create_graph: true)[0];
        var norms = gradients.view(-1, pac * real.shape[1]).pow(Constant.Two).sum(1).sqrt().add(Constant.One, Constant.MinusOne);
        return norms.pow(Constant.Two).mean().mul(Constant.Lambda);
    }

    public void Dispose()
    {
        _generator.Dispose();
        _discriminator.Dispose();
    }
}
