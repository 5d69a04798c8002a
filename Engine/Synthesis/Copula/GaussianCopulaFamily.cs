using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// The gaussian_copula family: one pass over the data, no hyperparameters, no epochs. From
/// <see cref="CopulaFitting.Grouped"/> on, a table whose columns depend on one category is modelled
/// as a copula per value of it (<see cref="GroupedCopula"/>); any other table as one copula.
/// </summary>
public sealed class GaussianCopulaFamily : IModelFamily
{
    public string Name => ModelHyperparameters.GaussianCopula;

    public FittedModel Fit(IReadOnlyList<TableColumn> training, ModelFitSettings settings, CancellationToken cancellationToken) =>
        new(Fit(training, settings.Seed, settings.Parallelism, settings.CopulaFitting, cancellationToken), new Dictionary<string, IReadOnlyList<double>>());

    public static IRowSampler Fit(IReadOnlyList<TableColumn> training, long seed, int parallelism, CopulaFitting fitting, CancellationToken cancellationToken)
    {
        if (fitting >= CopulaFitting.Grouped)
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
            if (GaussianCopula.ChooseGroups(training, seed, options) is { } groups)
                return GroupedCopula.Fit(training, groups, seed, parallelism, fitting, cancellationToken);
        }
        return GaussianCopula.Fit(training, seed, parallelism, fitting, cancellationToken);
    }

    public IRowSampler Read(JsonObject model) => GroupedCopula.IsGrouped(model) ? GroupedCopula.FromJson(model) : GaussianCopula.FromJson(model);
}
