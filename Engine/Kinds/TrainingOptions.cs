using System.Globalization;
using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Kinds;

/// <summary>
/// The parameters of training (train, and synthesize from a dataset), with their defaults:
/// model (gaussian_copula; tvae and ctgan), holdout (0.2: the share of rows kept out of training for
/// the privacy report), checkpoint_every (10: epochs between a neural training's checkpoints), how to
/// read the table (delimiter, header), and the model's hyperparameters
/// (<see cref="ModelHyperparameters"/>: epochs, batch_size, … for the neural models).
/// </summary>
public static class TrainingOptions
{
    public const string DefaultModel = ModelHyperparameters.GaussianCopula;
    public const double DefaultHoldout = 0.2;

    private static readonly IReadOnlyDictionary<string, Func<string, string?>> Own = new Dictionary<string, Func<string, string?>>(DataJobContract.ReadingOptions)
    {
        ["model"] = Model,
        ["holdout"] = Holdout,
        ["checkpoint_every"] = CheckpointEvery,
    };

    /// <summary>Epochs between a neural training's checkpoints, unless the job says otherwise.</summary>
    public const int DefaultCheckpointEvery = 10;

    /// <summary>Checks the options of a training, the model's hyperparameters included.</summary>
    public static void Validate(string kind, IReadOnlyDictionary<string, string> options)
    {
        foreach (var (key, value) in options)
        {
            if (Own.TryGetValue(key, out var check))
            {
                if (check(value) is { } problem) throw new ContractException($"params: {key} {problem}; got '{value}'.");
            }
            else if (!ModelHyperparameters.AllNames.Contains(key))
            {
                var known = Own.Keys.Concat(ModelHyperparameters.AllNames).Order(StringComparer.Ordinal);
                throw new ContractException($"params: {kind} takes {string.Join(", ", known)}; unknown: {key}.");
            }
        }
        if (ModelHyperparameters.Resolve(ModelOf(options), options).Problem is { } wrong) throw new ContractException(wrong);
    }

    public static string ModelOf(IReadOnlyDictionary<string, string> options) => options.GetValueOrDefault("model", DefaultModel);

    /// <summary>The model's hyperparameters, defaults filled in (the options are valid).</summary>
    public static IReadOnlyDictionary<string, string> HyperparametersOf(IReadOnlyDictionary<string, string> options) =>
        ModelHyperparameters.Resolve(ModelOf(options), options).Resolved ?? throw new ContractException("the training options are not valid.");

    /// <summary>Passes over the data a training makes, for its price: 1 for the copula, the epochs for a neural model.</summary>
    public static int EpochsOf(IReadOnlyDictionary<string, string> options) =>
        HyperparametersOf(options).TryGetValue("epochs", out var e) ? int.Parse(e, CultureInfo.InvariantCulture) : 1;

    public static TrainingSplit SplitOf(IReadOnlyDictionary<string, string> options, long seed) => new()
    {
        Seed = seed,
        HoldoutFraction = options.TryGetValue("holdout", out var h) ? double.Parse(h, CultureInfo.InvariantCulture) : DefaultHoldout,
    };

    public static int CheckpointEveryOf(IReadOnlyDictionary<string, string> options) =>
        options.TryGetValue("checkpoint_every", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : DefaultCheckpointEvery;

    private static string? CheckpointEvery(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= ModelHyperparameters.MaxEpochs ? null
        : $"must be a whole number of epochs from 1 to {ModelHyperparameters.MaxEpochs:N0}";

    private static string? Model(string value) =>
        ModelHyperparameters.Families.Contains(value) ? null : $"must be one of {string.Join(", ", ModelHyperparameters.Families)}";

    private static string? Holdout(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h is >= 0 and <= 0.5 ? null
        : "must be a share of rows from 0 to 0.5";
}
