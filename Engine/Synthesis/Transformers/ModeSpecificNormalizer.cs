using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Synthesis.Transformers;

/// <summary>
/// CTGAN's mode-specific normalization of a continuous column (RDT's ClusterBasedNormalizer): a
/// Bayesian Gaussian mixture is fitted, modes weighing more than the threshold are kept, and each
/// value becomes (a) the one-hot of a mode drawn from its posterior probabilities over the kept
/// modes and (b) its offset from that mode's mean in units of four standard deviations, clipped to
/// (−0.99, 0.99). The draw is seeded per row, so the encoding is reproducible.
/// </summary>
public sealed class ModeSpecificNormalizer
{
    public const double DefaultWeightThreshold = 0.005;

    private ModeSpecificNormalizer(double[] means, double[] deviations, double[] weights)
    {
        Means = means;
        Deviations = deviations;
        Weights = weights;
    }

    /// <summary>The kept modes' means, deviations and weights (renormalised).</summary>
    public double[] Means { get; }

    public double[] Deviations { get; }

    public double[] Weights { get; }

    public int Modes => Means.Length;

    public static ModeSpecificNormalizer Fit(ReadOnlySpan<double> values, long seed, int maxModes = 10, double weightThreshold = DefaultWeightThreshold)
    {
        var mixture = BayesianGaussianMixture.Fit(values, seed, maxModes);
        var kept = Enumerable.Range(0, mixture.Weights.Length).Where(j => mixture.Weights[j] > weightThreshold).ToArray();
        if (kept.Length == 0) kept = [Array.IndexOf(mixture.Weights, mixture.Weights.Max())];
        var total = kept.Sum(j => mixture.Weights[j]);
        return new ModeSpecificNormalizer(
            [.. kept.Select(j => mixture.Means[j])],
            [.. kept.Select(j => Math.Max(mixture.Deviations[j], 1e-9))],
            [.. kept.Select(j => mixture.Weights[j] / total)]);
    }

    /// <summary>Encodes <paramref name="value"/> of row <paramref name="row"/>: its scalar and its mode.</summary>
    public (double Scalar, int Mode) Transform(double value, long row, ulong seedKey)
    {
        Span<double> probability = stackalloc double[Modes];
        double total = 0;
        for (var j = 0; j < Modes; j++)
        {
            var z = (value - Means[j]) / Deviations[j];
            probability[j] = Weights[j] * Math.Exp(-0.5 * z * z) / Deviations[j];
            total += probability[j];
        }
        int mode;
        if (!(total > 0))
        {
            // Far from every mode (the density underflows): the nearest one in its own units.
            mode = 0;
            for (var j = 1; j < Modes; j++)
                if (Math.Abs(value - Means[j]) / Deviations[j] < Math.Abs(value - Means[mode]) / Deviations[mode]) mode = j;
        }
        else
        {
            var pick = SplitMix64.ForCell(seedKey, row, 0).NextDouble() * total;
            mode = Modes - 1;
            for (var j = 0; j < Modes; j++)
            {
                pick -= probability[j];
                if (pick < 0)
                {
                    mode = j;
                    break;
                }
            }
        }
        var scalar = Math.Clamp((value - Means[mode]) / (4 * Deviations[mode]), -0.99, 0.99);
        return (scalar, mode);
    }

    public JsonObject ToJson() => new()
    {
        ["means"] = new JsonArray([.. Means.Select(v => (JsonNode)v)]),
        ["deviations"] = new JsonArray([.. Deviations.Select(v => (JsonNode)v)]),
        ["weights"] = new JsonArray([.. Weights.Select(v => (JsonNode)v)]),
    };

    public static ModeSpecificNormalizer FromJson(JsonObject json)
    {
        double[] Read(string name) => [.. json[name]!.AsArray().Select(v => v!.GetValue<double>())];
        var (means, deviations, weights) = (Read("means"), Read("deviations"), Read("weights"));
        if (means.Length == 0 || deviations.Length != means.Length || weights.Length != means.Length || deviations.Any(d => !(d > 0)))
            throw new FormatException("a mode-specific normalizer needs as many positive deviations and weights as means.");
        return new ModeSpecificNormalizer(means, deviations, weights);
    }

    /// <summary>The value a scalar and a mode stand for.</summary>
    public double Inverse(double scalar, int mode) => Math.Clamp(scalar, -1, 1) * 4 * Deviations[mode] + Means[mode];
}
