using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis.Copula;

namespace RadMah.Engine.Synthesis.Models;

/// <summary>
/// The model families a process can train and sample. The copula is always there; a host adds the
/// neural families (RadMah.Neural) where LibTorch is available. A job for a family that is not here
/// fails with a clear reason rather than pretending.
/// </summary>
public sealed class ModelFamilies
{
    private readonly Dictionary<string, IModelFamily> _families = new(StringComparer.Ordinal);

    public ModelFamilies(IEnumerable<IModelFamily>? families = null)
    {
        Add(new GaussianCopulaFamily());
        foreach (var family in families ?? []) Add(family);
    }

    /// <summary>The copula only: what every process has.</summary>
    public static ModelFamilies Default { get; } = new();

    private void Add(IModelFamily family)
    {
        if (!ModelHyperparameters.Families.Contains(family.Name)) throw new ArgumentException($"'{family.Name}' is not a model family of the product.");
        _families[family.Name] = family;
    }

    /// <summary>The family named <paramref name="name"/>, or an error saying where it can run.</summary>
    public IModelFamily Get(string name) =>
        _families.TryGetValue(name, out var family) ? family
        : ModelHyperparameters.Families.Contains(name)
            ? throw new ContractException($"this silo cannot run model '{name}': the neural models (the RadMah.Neural plugin, LibTorch) are not loaded here. " +
                "Neural models train and sample on gpu-tier silos started with --neural-models (docs/SYNTHESIS.md); the radmah CLI's embedded node has gaussian_copula only.")
            : throw new ContractException($"unknown model family '{name}'.");
}
