using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>The gaussian_copula family: one pass over the data, no hyperparameters, no epochs.</summary>
public sealed class GaussianCopulaFamily : IModelFamily
{
    public string Name => ModelHyperparameters.GaussianCopula;

    public FittedModel Fit(IReadOnlyList<TableColumn> training, ModelFitSettings settings, CancellationToken cancellationToken) =>
        new(GaussianCopula.Fit(training, settings.Seed, settings.Parallelism, settings.CopulaFitting, cancellationToken), new Dictionary<string, IReadOnlyList<double>>());

    public IRowSampler Read(JsonObject model) => GaussianCopula.FromJson(model);
}
