using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// The gaussian_copula family: one pass over the data, no hyperparameters, no epochs. From
/// <see cref="CopulaFitting.Grouped"/> on, a table whose columns depend on one category is modelled
/// as a copula per value of it (<see cref="GroupedCopula"/>); any other table as one copula. From
/// <see cref="CopulaFitting.InequalityGaps"/> on, inequalities such a copula would often break are drawn as gaps (<see cref="GapCopula"/>).
/// </summary>
public sealed class GaussianCopulaFamily : IModelFamily
{
    public string Name => ModelHyperparameters.GaussianCopula;

    public FittedModel Fit(IReadOnlyList<TableColumn> training, ModelFitSettings settings, CancellationToken cancellationToken) =>
        new(Fit(training, settings.Seed, settings.Parallelism, settings.CopulaFitting, settings.Rules, cancellationToken, settings.MeasurementsContinuous, settings.OnlyLargeGroups),
            new Dictionary<string, IReadOnlyList<double>>());

    public static IRowSampler Fit(IReadOnlyList<TableColumn> training, long seed, int parallelism, CopulaFitting fitting, CancellationToken cancellationToken) =>
        Fit(training, seed, parallelism, fitting, [], cancellationToken);

    /// <summary>
    /// The copula of <paramref name="training"/>; from <see cref="CopulaFitting.InequalityGaps"/> on, the inequalities of <paramref name="rules"/> modelled as gaps;
    /// with <paramref name="measurementsContinuous"/>, measurements as continuous (<see cref="ModelFitSettings.MeasurementsContinuous"/>);
    /// with <paramref name="onlyLargeGroups"/>, groups of <see cref="GaussianCopula.MinGroupRows"/> rows only (<see cref="ModelFitSettings.OnlyLargeGroups"/>).
    /// </summary>
    public static IRowSampler Fit(IReadOnlyList<TableColumn> training, long seed, int parallelism, CopulaFitting fitting, IReadOnlyList<ConstraintRule> rules,
        CancellationToken cancellationToken, bool measurementsContinuous = false, bool onlyLargeGroups = false)
    {
        if (fitting >= CopulaFitting.InequalityGaps && GapCopula.Choose(training, rules, measurementsContinuous) is { Count: > 0 } candidates
            && GapCopula.Needed(candidates, training, sample => FitColumns(sample, seed, parallelism, fitting, measurementsContinuous, onlyLargeGroups, cancellationToken), seed) is { Count: > 0 } gaps)
            return new GapCopula(FitColumns(GapCopula.ToGaps(training, gaps), seed, parallelism, fitting, measurementsContinuous, onlyLargeGroups, cancellationToken),
                fitting >= CopulaFitting.MarginalsRefined ? GapCopula.WithHighMarginals(gaps, training) : gaps);
        return FitColumns(training, seed, parallelism, fitting, measurementsContinuous, onlyLargeGroups, cancellationToken);
    }

    private static IRowSampler FitColumns(IReadOnlyList<TableColumn> training, long seed, int parallelism, CopulaFitting fitting, bool measurementsContinuous,
        bool onlyLargeGroups, CancellationToken cancellationToken)
    {
        if (fitting >= CopulaFitting.Grouped)
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
            if (GaussianCopula.ChooseGroups(training, seed, options, fitting, measurementsContinuous, onlyLargeGroups) is { } groups)
                return GroupedCopula.Fit(training, groups, seed, parallelism, fitting, cancellationToken);
        }
        return GaussianCopula.Fit(training, seed, parallelism, fitting, measurementsContinuous ? GaussianCopula.ContinuousColumns(training, true) : null, cancellationToken);
    }

    public IRowSampler Read(JsonObject model) =>
        GapCopula.HasGaps(model) ? GapCopula.FromJson(model, Read) : GroupedCopula.IsGrouped(model) ? GroupedCopula.FromJson(model) : GaussianCopula.FromJson(model);
}
