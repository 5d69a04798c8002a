using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RadMah.Neural;

/// <summary>
/// Adam as PyTorch's torch.optim.Adam computes it (L2 weight decay added to the gradient, bias-corrected
/// moments, eps outside the square root), written here on scalars this optimizer holds for its
/// lifetime: TorchSharp's own Adam makes temporary scalars on every step that their finalizers free,
/// the hazard <see cref="Constant"/> describes. Its state (moments and step count) goes into checkpoints.
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _keep1, _take1, _keep2, _take2, _epsilon, _decay;
    private readonly bool _decays;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        _parameters = [.. parameters];
        _first = [.. _parameters.Select(p => torch.zeros_like(p).requires_grad_(false))];
        _second = [.. _parameters.Select(p => torch.zeros_like(p).requires_grad_(false))];
        (_learningRate, _beta1, _beta2) = (learningRate, beta1, beta2);
        (_keep1, _take1, _keep2, _take2) = (beta1.ToScalar(), (1 - beta1).ToScalar(), beta2.ToScalar(), (1 - beta2).ToScalar());
        _epsilon = epsilon.ToScalar();
        _decay = weightDecay.ToScalar();
        _decays = weightDecay != 0;
    }

    /// <summary>Steps taken (the bias correction's exponent).</summary>
    public long Steps { get; private set; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    public void Step()
    {
        Steps++;
        using var noGrad = torch.no_grad();
        using var stepSize = (-_learningRate / (1 - Math.Pow(_beta1, Steps))).ToScalar();
        using var correction = Math.Sqrt(1 - Math.Pow(_beta2, Steps)).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var scope = torch.NewDisposeScope();
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            if (_decays) grad = grad.add(_parameters[i], _decay);
            _first[i].mul_(_keep1).add_(grad, _take1);
            _second[i].mul_(_keep2).addcmul_(grad, grad, _take2);
            var denominator = _second[i].sqrt().div_(correction).add_(_epsilon, Constant.One);
            _parameters[i].addcdiv_(_first[i], denominator, stepSize);
        }
    }

    /// <summary>The moments by name, and the step count, for a checkpoint.</summary>
    public IEnumerable<(string, Tensor)> State(string prefix) =>
        _first.Select((m, i) => ($"{prefix}.m.{i}", m)).Concat(_second.Select((v, i) => ($"{prefix}.v.{i}", v)));

    public void Restore(long steps) => Steps = steps;

    public void Dispose()
    {
        foreach (var t in _first.Concat(_second)) t.Dispose();
        foreach (var s in new[] { _keep1, _take1, _keep2, _take2, _epsilon, _decay }) s.Dispose();
    }
}
