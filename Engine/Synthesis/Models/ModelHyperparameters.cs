using System.Globalization;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>One hyperparameter: its name (a job parameter), its default and what it accepts (docs/SYNTHESIS.md says what each means).</summary>
public sealed record Hyperparameter(string Name, string Default, Func<string, string?> Check);

/// <summary>
/// Each model family's hyperparameters, by the names and defaults SDV publishes, so results compare
/// with published ones. They are job parameters (<c>params.epochs=50</c>); what is not given takes its
/// default, and the resolved set is part of the trained model. Plain data, so a submission is checked
/// on any silo, whether or not it can train the family.
/// </summary>
public static class ModelHyperparameters
{
    public const string GaussianCopula = "gaussian_copula";
    public const string Tvae = "tvae";
    public const string Ctgan = "ctgan";

    public const int MaxEpochs = 10_000;

    public static IReadOnlyList<string> Families { get; } = [GaussianCopula, Tvae, Ctgan];

    private static readonly Hyperparameter Epochs = new("epochs", "300", Integer(1, MaxEpochs));

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<Hyperparameter>> ByFamily = new Dictionary<string, IReadOnlyList<Hyperparameter>>
    {
        [GaussianCopula] = [],
        [Tvae] =
        [
            Epochs,
            new("batch_size", "500", Integer(2, 100_000)),
            new("embedding_dim", "128", Integer(1, 4_096)),
            new("compress_dims", "128,128", Layers),
            new("decompress_dims", "128,128", Layers),
            new("l2scale", "0.00001", Real(0, 1)),
            new("loss_factor", "2", Real(1e-6, 1e6)),
            new("learning_rate", "0.001", Real(1e-7, 1)),
        ],
        [Ctgan] =
        [
            Epochs,
            new("batch_size", "500", Integer(2, 100_000)),
            new("embedding_dim", "128", Integer(1, 4_096)),
            new("generator_dim", "256,256", Layers),
            new("discriminator_dim", "256,256", Layers),
            new("generator_lr", "0.0002", Real(1e-7, 1)),
            new("generator_decay", "0.000001", Real(0, 1)),
            new("discriminator_lr", "0.0002", Real(1e-7, 1)),
            new("discriminator_decay", "0.000001", Real(0, 1)),
            new("discriminator_steps", "1", Integer(1, 100)),
            new("pac", "10", Integer(1, 100)),
            new("log_frequency", "true", Boolean),
        ],
    };

    /// <summary>Every hyperparameter name of any family: the job parameters a training accepts besides model, holdout and reading.</summary>
    public static IReadOnlySet<string> AllNames { get; } = ByFamily.Values.SelectMany(h => h).Select(h => h.Name).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<Hyperparameter> Of(string family) =>
        ByFamily.TryGetValue(family, out var list) ? list : throw new ArgumentException($"unknown model family '{family}'.", nameof(family));

    /// <summary>
    /// Checks the hyperparameters given for <paramref name="family"/> and returns them all, defaults
    /// filled in; null with the problem when one does not apply to the family or is out of range.
    /// </summary>
    public static (IReadOnlyDictionary<string, string>? Resolved, string? Problem) Resolve(string family, IReadOnlyDictionary<string, string> given)
    {
        var accepted = Of(family);
        foreach (var key in given.Keys.Where(AllNames.Contains).Order(StringComparer.Ordinal))
        {
            if (accepted.All(h => h.Name != key))
                return (null, family == GaussianCopula && key == Epochs.Name
                    ? "params: epochs does not apply to gaussian_copula, which is fitted in one pass over the data."
                    : $"params: {key} does not apply to {family}; it takes {(accepted.Count == 0 ? "no hyperparameters" : string.Join(", ", accepted.Select(h => h.Name)))}.");
        }
        var resolved = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var h in accepted)
        {
            var value = given.TryGetValue(h.Name, out var v) ? v : h.Default;
            if (h.Check(value) is { } problem) return (null, $"params: {h.Name} {problem}; got '{value}'.");
            resolved[h.Name] = value;
        }
        if (family == Ctgan)
        {
            var batch = int.Parse(resolved["batch_size"], CultureInfo.InvariantCulture);
            var pac = int.Parse(resolved["pac"], CultureInfo.InvariantCulture);
            if (batch % pac != 0 || batch % 2 != 0)
                return (null, $"params: batch_size must be even and a multiple of pac ({pac}); got {batch}.");
        }
        return (resolved, null);
    }

    public static int Int(IReadOnlyDictionary<string, string> resolved, string name) => int.Parse(resolved[name], CultureInfo.InvariantCulture);

    public static double Double(IReadOnlyDictionary<string, string> resolved, string name) => double.Parse(resolved[name], CultureInfo.InvariantCulture);

    public static bool Bool(IReadOnlyDictionary<string, string> resolved, string name) => resolved[name] == "true";

    public static int[] IntList(IReadOnlyDictionary<string, string> resolved, string name) =>
        [.. resolved[name].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

    private static Func<string, string?> Integer(int min, int max) => value =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? null
        : $"must be a whole number from {min:N0} to {max:N0}";

    private static Func<string, string?> Real(double min, double max) => value =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && x >= min && x <= max ? null
        : $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";

    private static string? Boolean(string value) => value is "true" or "false" ? null : "must be true or false";

    private static string? Layers(string value)
    {
        var parts = value.Split(',');
        return parts.Length is >= 1 and <= 8 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4_096)
            ? null
            : "must be 1 to 8 layer sizes from 1 to 4,096, separated by commas (\"256,256\")";
    }
}
