using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Reports;

namespace RadMah.Engine.Synthesis;

/// <summary>
/// The algorithms a sealed train, synthesize or analyze contract was sealed with, so that its rerun
/// repeats them and writes the same bytes after the platform has moved on: the copula's fit and
/// sampling, whether and up to what rate copies of training rows are drawn again, how a CSV's header is told, and how many synthetic rows the quality report scores. A contract sealed before
/// revisions were written (no <c>synthesis_revision</c>) is revision 1. A change to what a job of an
/// existing revision writes becomes a new revision here, and new contracts are sealed with it.
/// </summary>
public sealed record SynthesisRevision(int Number, CopulaFitting CopulaFitting, int MaxEvaluatedRows, bool GuardsCopies = false, bool HeaderNamesByValues = false,
    bool AllowsMarginalCopies = false)
{
    /// <summary>Contracts sealed before 2026-12-07: the copula row by row, the report over at most 1,000,000 rows.</summary>
    public static readonly SynthesisRevision First = new(1, CopulaFitting.RowByRow, 1_000_000);

    /// <summary>Discriminant categories and stratified blocks; the report over whole chunks.</summary>
    public static readonly SynthesisRevision Stratified = new(2, CopulaFitting.Stratified, QualityReportDocument.MaxEvaluatedRows);

    /// <summary>As <see cref="Stratified"/>, the copula's training scores at plotting positions (<see cref="CopulaFitting.BoundedScores"/>).</summary>
    public static readonly SynthesisRevision BoundedScores = new(3, CopulaFitting.BoundedScores, QualityReportDocument.MaxEvaluatedRows);

    /// <summary>As <see cref="BoundedScores"/>, one copula per value of a category the other columns depend on (<see cref="CopulaFitting.Grouped"/>).</summary>
    public static readonly SynthesisRevision Grouped = new(4, CopulaFitting.Grouped, QualityReportDocument.MaxEvaluatedRows);

    /// <summary>As <see cref="Grouped"/>, the normal scores drawn by the ziggurat (<see cref="CopulaFitting.ZigguratScores"/>).</summary>
    public static readonly SynthesisRevision ZigguratScores = new(5, CopulaFitting.ZigguratScores, QualityReportDocument.MaxEvaluatedRows);

    /// <summary>As <see cref="ZigguratScores"/>, an inequality's higher column modelled as a gap above the lower one (<see cref="CopulaFitting.InequalityGaps"/>).</summary>
    public static readonly SynthesisRevision InequalityGaps = new(6, CopulaFitting.InequalityGaps, QualityReportDocument.MaxEvaluatedRows);

    /// <summary>
    /// As <see cref="InequalityGaps"/> (the same fit), a synthesize job's rows equal to a training row drawn again beyond the rate
    /// held-out rows show (<see cref="Constraints.CopyGuard"/>).
    /// </summary>
    public static readonly SynthesisRevision CopiesGuarded = new(7, CopulaFitting.InequalityGaps, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true);

    /// <summary>As <see cref="CopiesGuarded"/>, and tables whose numbers have nulls may be modelled as a copula per cluster of rows (<see cref="CopulaFitting.NullClusters"/>).</summary>
    public static readonly SynthesisRevision NullClusters = new(8, CopulaFitting.NullClusters, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true);

    /// <summary>
    /// As <see cref="NullClusters"/>, small tables' measurements and whole numbers written with decimals modelled as
    /// <see cref="CopulaFitting.MarginalsRefined"/> says, and a CSV's header told by its values as well
    /// (<see cref="Datasets.TableReadOptions.HeaderNamesByValues"/>: years naming the columns of a wide table).
    /// </summary>
    public static readonly SynthesisRevision MarginalsRefined = new(9, CopulaFitting.MarginalsRefined, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true,
        HeaderNamesByValues: true);

    /// <summary>As <see cref="MarginalsRefined"/>, decimal columns keeping their places (<see cref="CopulaFitting.PrecisionKept"/>).</summary>
    public static readonly SynthesisRevision PrecisionKept = new(10, CopulaFitting.PrecisionKept, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true,
        HeaderNamesByValues: true);

    /// <summary>
    /// As <see cref="PrecisionKept"/> (the same copula), copies of training rows allowed up to the rate of the model's columns drawn
    /// independently as well as the holdout's (<see cref="Constraints.CopyGuard"/>), and the privacy report's distances compared with
    /// those rows too: a designed experiment's combinations are drawn as its columns' values make them, not redrawn away. And a row
    /// that breaks a rule drawn again from its own group, a category's determination looked for both ways, and categories of up to 64 values drawn given the others (<see cref="CopulaFitting.BreachesInGroup"/>).
    /// </summary>
    public static readonly SynthesisRevision MarginalCopies = new(11, CopulaFitting.BreachesInGroup, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true,
        HeaderNamesByValues: true, AllowsMarginalCopies: true);

    /// <summary>
    /// As <see cref="MarginalCopies"/>, and two numbers drawn with the training rows' Pearson correlation rather than their normal
    /// scores' (<see cref="CopulaFitting.PearsonMatched"/>).
    /// </summary>
    public static readonly SynthesisRevision PearsonMatched = new(12, CopulaFitting.PearsonMatched, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true,
        HeaderNamesByValues: true, AllowsMarginalCopies: true);

    /// <summary>
    /// As <see cref="PearsonMatched"/> (the same fit), and a sample of fewer than 4,096 rows drawn with the copula's correlations
    /// exactly rather than within sampling noise (<see cref="CopulaFitting.WhitenedBlocks"/>).
    /// </summary>
    public static readonly SynthesisRevision WhitenedBlocks = new(13, CopulaFitting.WhitenedBlocks, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true,
        HeaderNamesByValues: true, AllowsMarginalCopies: true);

    /// <summary>
    /// As <see cref="WhitenedBlocks"/>, and a value of 10 training rows a group of its own (30 before), and a table of up to 512 copula
    /// dimensions grouped (128 before) (<see cref="CopulaFitting.MoreGroups"/>).
    /// </summary>
    public static readonly SynthesisRevision MoreGroups = new(14, CopulaFitting.MoreGroups, QualityReportDocument.MaxEvaluatedRows, GuardsCopies: true,
        HeaderNamesByValues: true, AllowsMarginalCopies: true);

    /// <summary>What new contracts are sealed with.</summary>
    public static SynthesisRevision Current => MoreGroups;

    /// <summary>
    /// Writes a contract's revision into its JSON, from revision 2 on: a contract sealed before revisions were written has none,
    /// and keeps its bytes and digest.
    /// </summary>
    public static void WriteTo(JsonObject contract, int number)
    {
        if (number != First.Number) contract[Field] = number;
    }

    /// <summary>A contract's revision, as <see cref="WriteTo"/> wrote it.</summary>
    public static int ReadFrom(JsonObject contract) => contract[Field]?.GetValue<int>() ?? First.Number;

    private const string Field = "synthesis_revision";

    public static SynthesisRevision Of(int number) => number switch
    {
        1 => First,
        2 => Stratified,
        3 => BoundedScores,
        4 => Grouped,
        5 => ZigguratScores,
        6 => InequalityGaps,
        7 => CopiesGuarded,
        8 => NullClusters,
        9 => MarginalsRefined,
        10 => PrecisionKept,
        11 => MarginalCopies,
        12 => PearsonMatched,
        13 => WhitenedBlocks,
        14 => MoreGroups,
        _ => throw new ContractException($"synthesis_revision {number} is not one this build knows (1 to {Current.Number}); a newer build sealed this contract."),
    };
}
