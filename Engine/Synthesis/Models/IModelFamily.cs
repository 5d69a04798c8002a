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

    public Action<TrainingProgress>? Progress { get; init; }
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
