using System.Text.Json.Nodes;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Output;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Reports;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis;

/// <summary>
/// The steps of training and synthesis, for any host (a job's work, the CLI, a benchmark): fit a
/// model to a real table, write a model's rows, and score them against the real rows.
/// </summary>
public static class SynthesisRun
{
    /// <summary>
    /// Profiles the table (opened by <paramref name="open"/>) and decides each column's codec. A table
    /// wider than a model takes is refused from its first batch, before any profiling.
    /// </summary>
    public static async Task<(IReadOnlyList<ColumnCodec> Codecs, long Rows)> CodecsAsync(Func<CancellationToken, Task<ITableReader>> open, DatasetInfo info, long seed,
        int parallelism, CopulaFitting fitting, Action<long>? progress, CancellationToken cancellationToken)
    {
        await using (var first = await open(cancellationToken).ConfigureAwait(false))
        {
            await foreach (var batch in first.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    if (batch.Data.ColumnCount > TrainingTable.MaxColumns)
                        throw new ContractException($"the table cannot be trained on: it has {batch.Data.ColumnCount:N0} columns; a model takes at most {TrainingTable.MaxColumns}.");
                }
                break;
            }
        }
        await using var reader = await open(cancellationToken).ConfigureAwait(false);
        var profile = await TableProfiler.ProfileAsync(reader, info, new ProfileOptions { Seed = seed, Parallelism = parallelism, Progress = progress }, cancellationToken)
            .ConfigureAwait(false);
        return (TrainingTable.CodecsOf(profile, fitting), profile.Table.Rows);
    }

    /// <summary>
    /// Reads the table (opened by <paramref name="open"/>, a second pass after the profile) with the
    /// profile's codecs, fits the model family to its training rows with the given hyperparameters,
    /// and finds the rules its rows keep.
    /// </summary>
    public static async Task<(SynthesisModel Model, TrainingTable Table)> TrainAsync(Func<CancellationToken, Task<ITableReader>> open, IReadOnlyList<ColumnCodec> codecs,
        long tableRows, ModelTraining source, IModelFamily family, ModelFitSettings settings, CancellationToken cancellationToken)
    {
        var table = await LoadAsync(open, codecs, tableRows, source.Split, cancellationToken).ConfigureAwait(false);
        if (settings.CopulaFitting >= CopulaFitting.MarginalsRefined) table = table.WithWholeNumbers();
        var rules = ConstraintDetector.Detect(table.Training, source.Seed, manyPairs: settings.CopulaFitting >= CopulaFitting.Grouped,
            bothWays: settings.CopulaFitting >= CopulaFitting.BreachesInGroup);
        var fitted = family.Fit(table.Training, settings with { Rules = rules }, cancellationToken);
        if (CopiesMeasurements(family, fitted, rules, table, source.Seed, settings.CopulaFitting))
        {
            settings = settings with { MeasurementsContinuous = true };
            fitted = family.Fit(table.Training, settings with { Rules = rules }, cancellationToken);
        }
        if (SmallGroupsDrawClose(fitted, rules, table, source.Seed, settings, cancellationToken))
            fitted = family.Fit(table.Training, settings with { Rules = rules, OnlyLargeGroups = true }, cancellationToken);
        var training = source with
        {
            RowsRead = table.RowsRead,
            TrainingRows = table.Training[0].Length,
            HoldoutRows = table.Holdout[0].Length,
            Sampled = table.Sampled,
        };
        var breachesInGroup = family is GaussianCopulaFamily && settings.CopulaFitting >= CopulaFitting.BreachesInGroup;
        var model = new SynthesisModel(family.Name, table.Codecs, new ConstrainedModel(fitted.Sampler, rules, breachesInGroup), training)
        {
            Hyperparameters = settings.Hyperparameters,
            LossCurves = fitted.LossCurves,
        };
        return (model, table);
    }

    /// <summary>
    /// Whether a copula of <see cref="CopulaFitting.MarginalsRefined"/> or later, whose measurements are drawn from their training values,
    /// copies training rows more often than the privacy report allows (<see cref="CopyGuard"/>) and on more than
    /// <see cref="MeasurementsRefitCopyRate"/> of its rows: a small table's few columns of such values come out as whole training rows.
    /// Fitted again with them continuous, it draws values between them instead; the copy guard of a synthesize job then has little or
    /// nothing left to redraw, where redrawing a large share of rows bends a small table's columns.
    /// </summary>
    private static bool CopiesMeasurements(IModelFamily family, FittedModel fitted, IReadOnlyList<ConstraintRule> rules, TrainingTable table, long seed, CopulaFitting fitting) =>
        fitting >= CopulaFitting.MarginalsRefined && family is GaussianCopulaFamily && GaussianCopula.HasMeasurements(table.Training)
        && CopyGuard.Measure(new ConstrainedModel(fitted.Sampler, rules), table, seed) is { IsActive: true, TrialCopyRate: > MeasurementsRefitCopyRate };

    /// <summary>
    /// Whether a copula per group, some of whose groups have fewer than <see cref="GaussianCopula.MinGroupRows"/> training rows
    /// (<see cref="CopulaFitting.MoreGroups"/>), draws rows closer to the training rows than held-out rows are, as the privacy report
    /// judges a synthesize job's rows (as many as the training rows, up to <see cref="SmallGroupsTrialRows"/>, the copy guard on): a copula fitted to a dozen rows
    /// draws near them. Such a model is fitted again with groups of that many rows only (on R's `ToothGrowth` and plotly's wind rose,
    /// a privacy warning otherwise).
    /// </summary>
    private static bool SmallGroupsDrawClose(FittedModel fitted, IReadOnlyList<ConstraintRule> rules, TrainingTable table, long seed, ModelFitSettings settings,
        CancellationToken cancellationToken)
    {
        if (!HasSmallGroups(fitted.Sampler) || table.Holdout[0].Length == 0) return false;
        var model = new ConstrainedModel(fitted.Sampler, rules, breachesInGroup: true);
        var guard = CopyGuard.Measure(model, table, seed, marginalCopies: true);
        var trial = model.WithGuard(guard).Sample(0, Math.Min(table.Training[0].Length, SmallGroupsTrialRows), Mock.Generation.CopulaBlock.KeyFor(seed));
        var privacy = PrivacyReport.Compute(table, trial, seed, settings.Parallelism, cancellationToken, guard);
        return privacy["synthetic_closer_than_baseline"]?.GetValue<double>() > privacy["synthetic_closer_than_baseline_allowed"]?.GetValue<double>();
    }

    /// <summary>Rows the trials of <see cref="SmallGroupsDrawClose"/> and <see cref="SmallGroupsCopy"/> draw at most: as many as the privacy report compares.</summary>
    private const int SmallGroupsTrialRows = PrivacyReport.QueryRows;

    /// <summary>
    /// Whether a model is a copula per group with a group of fewer than <see cref="GaussianCopula.MinGroupRows"/> training rows, which only
    /// <see cref="CopulaFitting.MoreGroups"/> and later form (before, a smaller value joined another group).
    /// </summary>
    private static bool HasSmallGroups(IRowSampler sampler) =>
        GapCopula.Under(sampler) is GroupedCopula grouped && grouped.TrainingRows.Any(rows => rows < GaussianCopula.MinGroupRows);

    /// <summary>
    /// The share of copied rows above which a small table's measurements are fitted again as continuous. Below it the copy guard's
    /// redrawing costs less than continuous columns do (a table of n rows scores at least ½ / n less on their shapes at equal size):
    /// on 14 development tables that copied, refitting lost 0.006–0.020 overall at trial copy rates of 0.2–4.2%, and gained up to
    /// 0.07 from 5.9% on (docs/BENCHMARKS.md).
    /// </summary>
    public const double MeasurementsRefitCopyRate = 0.05;

    /// <summary>Rows a look-alike's copula is fitted on at most (a seeded sample of larger tables).</summary>
    public const int LookAlikeSampleRows = 50_000;

    /// <summary>
    /// The dependence between a profiled table's columns, for its look-alike contract: a copula fitted
    /// to a seeded sample of its rows, and the codecs of its columns. Null for a table no model can
    /// learn from (too small, too wide, nothing to model): its look-alike draws each column on its own.
    /// </summary>
    public static async Task<LookAlikeDependence?> FitLookAlikeAsync(Func<CancellationToken, Task<ITableReader>> open, DatasetProfile profile, long seed, int parallelism,
        CopulaFitting fitting, CancellationToken cancellationToken)
    {
        IReadOnlyList<ColumnCodec> codecs;
        try
        {
            codecs = TrainingTable.CodecsOf(profile, fitting, regenerateEmpty: true);
        }
        catch (ContractException)
        {
            return null;
        }
        var split = new TrainingSplit { Seed = seed, HoldoutFraction = 0, MaxTrainingRows = LookAlikeSampleRows };
        var table = await LoadAsync(open, codecs, profile.Table.Rows, split, cancellationToken).ConfigureAwait(false);
        if (fitting >= CopulaFitting.MarginalsRefined) table = table.WithWholeNumbers();
        var rules = ConstraintDetector.Detect(table.Training, seed, manyPairs: fitting >= CopulaFitting.Grouped, bothWays: fitting >= CopulaFitting.BreachesInGroup);
        var copula = GaussianCopulaFamily.Fit(table.Training, seed, parallelism, fitting, rules, cancellationToken);
        var breachesInGroup = fitting >= CopulaFitting.BreachesInGroup;
        if (SmallGroupsCopy(copula, rules, breachesInGroup, table.Training, seed))
            copula = GaussianCopulaFamily.Fit(table.Training, seed, parallelism, fitting, rules, cancellationToken, onlyLargeGroups: true);
        return new LookAlikeDependence(table.Codecs, new ConstrainedModel(copula, rules, breachesInGroup));
    }

    /// <summary>
    /// Whether a look-alike's copula per group, some of whose groups have fewer than <see cref="GaussianCopula.MinGroupRows"/> rows
    /// (<see cref="CopulaFitting.MoreGroups"/>), draws rows equal to a real row more often than the table's columns drawn independently
    /// do, and on more than <see cref="MeasurementsRefitCopyRate"/> of them (as many rows as the table has, up to
    /// <see cref="SmallGroupsTrialRows"/>; a few chance copies among hundreds of rows are no reason to pool a table's classes). A look-alike has no holdout and its mock job no copy
    /// guard, so the copies its columns' values make by chance are the baseline: a copula fitted to a dozen rows draws them again
    /// (plotly's wind rose, 16 directions × 8 strengths: 62 of its 128 rows, against 8 for independent columns). Such a copula is
    /// fitted again with groups of that many rows only.
    /// </summary>
    private static bool SmallGroupsCopy(IRowSampler copula, IReadOnlyList<ConstraintRule> rules, bool breachesInGroup, IReadOnlyList<TableColumn> real, long seed)
    {
        if (!HasSmallGroups(copula)) return false;
        var count = Math.Min(real[0].Length, SmallGroupsTrialRows);
        var keys = new HashSet<ulong>(RowKeys.All(real));
        var trial = new ConstrainedModel(copula, rules, breachesInGroup).Sample(0, count, Mock.Generation.CopulaBlock.KeyFor(seed));
        var copies = RowKeys.All(trial).LongCount(keys.Contains);
        var independent = RowKeys.All(IndependentBaseline.Sample(real, count, seed)).LongCount(keys.Contains);
        return (double)copies / count > Math.Max(MeasurementsRefitCopyRate, PrivacyReport.AllowedShare((double)independent / count, count, count));
    }

    /// <summary>The model's training table again (same bytes, codecs and split): the real side of the reports.</summary>
    public static async Task<TrainingTable> LoadAsync(Func<CancellationToken, Task<ITableReader>> open, IReadOnlyList<ColumnCodec> codecs, long tableRows, TrainingSplit split,
        CancellationToken cancellationToken)
    {
        await using var reader = await open(cancellationToken).ConfigureAwait(false);
        return await TrainingTable.LoadAsync(reader, codecs, tableRows, split, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="rows"/> synthetic rows as CSV and Arrow.</summary>
    public static Task WriteRowsAsync(SynthesisModel model, long rows, long seed, Stream? csv, Stream? arrow, DatasetWriteOptions options, CancellationToken cancellationToken) =>
        MockDatasetWriter.WriteAsync(model.ToContract(rows, seed), csv, arrow, options, cancellationToken);

    /// <summary>
    /// The model as a synthesize job of <paramref name="revision"/> samples it: from revision 7 on, with a
    /// <see cref="CopyGuard"/> measured against <paramref name="table"/>'s training and holdout rows (from revision 11 on, and
    /// against the model's own columns drawn independently).
    /// </summary>
    public static SynthesisModel ForSynthesis(SynthesisModel model, TrainingTable table, long seed, SynthesisRevision revision) =>
        revision.GuardsCopies
            ? model with { Model = model.Model.WithGuard(CopyGuard.Measure(model.Model, table, seed, revision.AllowsMarginalCopies)) }
            : model;

    /// <summary>Rows of the independent-columns baseline the quality report compares with, at most.</summary>
    public const int BaselineRows = 100_000;

    /// <summary>The quality report (the first rows written, up to the revision's <see cref="SynthesisRevision.MaxEvaluatedRows"/>) and the privacy report.</summary>
    public static (JsonObject Quality, JsonObject Privacy) Evaluate(SynthesisModel model, TrainingTable table, long rows, long seed, int parallelism, SynthesisRevision revision,
        CancellationToken cancellationToken)
    {
        var scored = (int)Math.Min(rows, revision.MaxEvaluatedRows);
        var synthetic = ModelSampler.SampleModelled(model, seed, scored, parallelism, cancellationToken);
        var scores = QualityScores.Compute(table.Training, synthetic);
        var quality = QualityReportDocument.Json(scores, table, rows, scored);
        quality["model"] = model.Family;
        quality["constraints"] = new JsonArray([.. model.Model.Bound.Select(rule => (JsonNode)new JsonObject
        {
            ["kind"] = rule.Rule.Kind,
            ["rule"] = rule.Rule.Describe(),
            ["synthetic_rows_checked"] = scored,
            ["violations"] = rule.Violations(synthetic),
        })]);
        // The same report for independent columns, on at most 100,000 rows (past that its sampling noise is negligible).
        var baselineRows = Math.Min(scored, BaselineRows);
        var baseline = QualityScores.Compute(table.Training, IndependentBaseline.Sample(table.Training, baselineRows, seed));
        QualityReportDocument.Assess(quality, baseline, baselineRows);
        var privacy = PrivacyReport.Compute(table, synthetic, seed, parallelism, cancellationToken, model.Model.Guard);
        return (quality, privacy);
    }
}
