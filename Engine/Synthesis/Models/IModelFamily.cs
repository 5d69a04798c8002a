using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>How a training is going, for the job's progress: the epoch just finished and its losses by name.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, IReadOnlyDictionary<string, double> Losses);

/// <summary>What a family's fit is given besides the rows: the seed, its hyperparameters (defaults applied), threads and a progress callback.</summary>
public sealed record ModelFitSettings
{
    public required long Seed { get; init; }

    /// <summary>Every hyperparameter of the family, as text, defaults filled in (<see cref="ModelHyperparameters.Resolve"/>).</summary>
    public required IReadOnlyDictionary<string, string> Hyperparameters { get; init; }

    public int Parallelism { get; init; } = 1;

    /// <summary>How a copula is fitted: the sealed contract's (<see cref="SynthesisRevision"/>); families without a copula ignore it.</summary>
    public Copula.CopulaFitting CopulaFitting { get; init; } = SynthesisRevision.Current.CopulaFitting;

    /// <summary>The rules the training rows keep (<see cref="Constraints.ConstraintDetector"/>): a copula models an inequality's higher column as a gap from <see cref="Copula.CopulaFitting.InequalityGaps"/> on.</summary>
    public IReadOnlyList<Constraints.ConstraintRule> Rules { get; init; } = [];

    /// <summary>
    /// Whether a copula models a number whose few values mostly do not repeat as continuous rather than as its training values
    /// (<see cref="Copula.GaussianCopula.HasMeasurements"/>); set where the discrete model copies training rows.
    /// </summary>
    public bool MeasurementsContinuous { get; init; }

    /// <summary>
    /// Whether a copula's groups need <see cref="Copula.GaussianCopula.MinGroupRows"/> rows even where its revision allows fewer
    /// (<see cref="Copula.CopulaFitting.MoreGroups"/>); set where groups of fewer rows draw rows closer to the training rows than
    /// held-out rows are.
    /// </summary>
    public bool OnlyLargeGroups { get; init; }

    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Where an epoch-based training keeps its state every few epochs, and finds it again after a crash; null: no checkpoints.</summary>
    public TrainingCheckpoints? Checkpoints { get; init; }
}

/// <summary>
/// A training's checkpoints: every <see cref="Every"/> epochs its whole state (weights, optimizer,
/// random generators, losses so far) is saved; a training that starts finds the latest one, if an
/// earlier attempt of the same job left one, and goes on from there.
/// </summary>
public sealed class TrainingCheckpoints(int every, Func<byte[]?> load, Action<byte[]> save)
{
    public int Every { get; } = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every));

    /// <summary>The latest checkpoint, or null.</summary>
    public byte[]? Load() => load();

    public void Save(byte[] state) => save(state);

    /// <summary>Whether the epoch just finished (1-based) is one to save after: every N, never the last (the model is saved then).</summary>
    public bool IsDue(int epoch, int epochs) => epoch % Every == 0 && epoch < epochs;
}

/// <summary>The fitted model and what training recorded about itself (loss curves per epoch, by name).</summary>
public sealed record FittedModel(IRowSampler Sampler, IReadOnlyDictionary<string, IReadOnlyList<double>> LossCurves);

/// <summary>
/// A model family (gaussian_copula, tvae, ctgan): fits a sampler to training columns and reads one
/// back from model.json. Families live where their dependencies do: the copula in Engine, the neural
/// ones in RadMah.Neural (TorchSharp), registered with <see cref="ModelFamilies"/> by the host.
/// </summary>
public interface IModelFamily
{
    string Name { get; }

    FittedModel Fit(IReadOnlyList<TableColumn> training, ModelFitSettings settings, CancellationToken cancellationToken);

    IRowSampler Read(JsonObject model);
}
