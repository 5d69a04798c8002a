using System.Globalization;
using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Kinds;

/// <summary>
/// The parameters of training (train, and synthesize from a dataset), with their defaults:
/// model (gaussian_copula), holdout (0.2: the share of rows kept out of training for the privacy
/// report), and how to read the table (delimiter, header). epochs belongs to the neural models.
/// </summary>
public static class TrainingOptions
{
    public const string DefaultModel = SynthesisModel.GaussianCopulaFamily;
    public const double DefaultHoldout = 0.2;
    public const int MaxEpochs = 10_000;

    /// <summary>Model families of the product not built in this release: refused by name, never faked.</summary>
    private static readonly string[] Coming = ["ctgan", "tvae"];

    public static readonly IReadOnlyDictionary<string, Func<string, string?>> Checks = new Dictionary<string, Func<string, string?>>(DataJobContract.ReadingOptions)
    {
        ["model"] = Model,
        ["holdout"] = Holdout,
        ["epochs"] = Epochs,
    };

    /// <summary>Checks the options of a training; the model's own rules (a copula takes no epochs) included.</summary>
    public static void Validate(string kind, IReadOnlyDictionary<string, string> options)
    {
        foreach (var (key, value) in options)
        {
            if (!Checks.TryGetValue(key, out var check))
                throw new ContractException($"params: {kind} takes {string.Join(", ", Checks.Keys.Order(StringComparer.Ordinal))}; unknown: {key}.");
            if (check(value) is { } problem) throw new ContractException($"params: {key} {problem}; got '{value}'.");
        }
        if (ModelOf(options) == SynthesisModel.GaussianCopulaFamily && options.ContainsKey("epochs"))
            throw new ContractException("params: epochs does not apply to gaussian_copula, which is fitted in one pass over the data.");
    }

    public static string ModelOf(IReadOnlyDictionary<string, string> options) => options.GetValueOrDefault("model", DefaultModel);

    public static int EpochsOf(IReadOnlyDictionary<string, string> options) =>
        options.TryGetValue("epochs", out var e) ? int.Parse(e, CultureInfo.InvariantCulture) : 1;

    public static TrainingSplit SplitOf(IReadOnlyDictionary<string, string> options, long seed) => new()
    {
        Seed = seed,
        HoldoutFraction = options.TryGetValue("holdout", out var h) ? double.Parse(h, CultureInfo.InvariantCulture) : DefaultHoldout,
    };

    private static string? Model(string value) =>
        value == SynthesisModel.GaussianCopulaFamily ? null
        : Coming.Contains(value) ? "is not built yet (gaussian_copula is; ctgan and tvae come next)"
        : "must be gaussian_copula";

    private static string? Holdout(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h is >= 0 and <= 0.5 ? null
        : "must be a share of rows from 0 to 0.5";

    private static string? Epochs(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e is >= 1 and <= MaxEpochs ? null
        : $"must be a whole number from 1 to {MaxEpochs:N0}";
}
