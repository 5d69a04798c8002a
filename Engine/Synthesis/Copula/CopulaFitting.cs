namespace RadMah.Engine.Synthesis.Copula;

/// <summary>How <see cref="GaussianCopula.Fit"/> models a table and how the copula it returns samples.</summary>
public enum CopulaFitting
{
    /// <summary>Every column one copula dimension; rows sampled one at a time (<see cref="CopulaSampling.Independent"/>).</summary>
    RowByRow = 1,

    /// <summary>
    /// Categories of 3–20 values drawn given the other columns where a discriminant predicts them
    /// (<see cref="CategoryDiscriminant"/>); rows sampled in stratified blocks (<see cref="CopulaSampling.Stratified"/>).
    /// </summary>
    Stratified = 2,

    /// <summary>
    /// As <see cref="Stratified"/>, with a continuous column's training scores at plotting positions: its smallest and largest
    /// values half a row inside the ends of the normal scale instead of at ±5.2, where two rows outweighed a small table's
    /// correlations.
    /// </summary>
    BoundedScores = 3,

    /// <summary>
    /// As <see cref="BoundedScores"/>, and a table whose other columns a category clearly depends on is modelled as one copula per
    /// value of that category (<see cref="GroupedCopula"/>).
    /// </summary>
    Grouped = 4,

    /// <summary>As <see cref="Grouped"/>, every copula sampling its normal scores by the ziggurat (<see cref="CopulaSampling.StratifiedZiggurat"/>).</summary>
    ZigguratScores = 5,

    /// <summary>
    /// As <see cref="ZigguratScores"/>, a column the table keeps above others modelled as its gap above the largest of them
    /// (<see cref="GapCopula"/>) rather than drawn on its own and redrawn when it comes out below, where a copula without gaps
    /// would break the rule on more than <see cref="GapCopula.BrokenShare"/> of its rows.
    /// </summary>
    InequalityGaps = 6,

    /// <summary>
    /// As <see cref="InequalityGaps"/>, and a table whose numbers have nulls may also be modelled as a copula per cluster of rows: the
    /// mixture is fitted to the rows with every number, and a row with nulls joins the component most probable given what it has.
    /// </summary>
    NullClusters = 7,

    /// <summary>
    /// As <see cref="NullClusters"/>, and whole numbers written with decimals (3750.0, as pandas writes a column of integers with
    /// nulls) drawn as whole numbers and written as the table writes them (<see cref="Tables.ColumnCodec.WholeNumbers"/>). And two
    /// changes for small tables. The empirical marginal puts the k-th of n sorted values at
    /// probability (k + ½) / n, the middle of its step, rather than at k / (n − 1): half the distance to the training values'
    /// distribution. And where the model copies training rows beyond what held-out rows show, a train job fits it again with its
    /// measurements (<see cref="GaussianCopula.HasMeasurements"/>) continuous rather than drawn from their training values
    /// (<see cref="ModelFitSettings.MeasurementsContinuous"/>, <see cref="SynthesisRun.TrainAsync"/>). And a column drawn as a gap
    /// is moved, in each sampled block, onto its own distribution in training (<see cref="GapCopula.Gap.HighMarginal"/>).
    /// </summary>
    MarginalsRefined = 8,

    /// <summary>
    /// As <see cref="MarginalsRefined"/>, and a decimal column keeps its decimal places, up to 15 (<see cref="Tables.ColumnCodec.DecimalsOf"/>):
    /// up to 6 before, so a column of small values (a density, a p-value, 1.26e-24) came out as zeros. And a nullable number's present
    /// values are moved, in each sampled block, onto its marginal (<see cref="GaussianCopula.PresentOntoMarginals"/>).
    /// </summary>
    PrecisionKept = 9,

    /// <summary>
    /// As <see cref="PrecisionKept"/> (the same copula), and a row that breaks one of the table's rules is drawn again from its own
    /// group of a copula per group (<see cref="Constraints.ConstrainedModel.BreachesInGroup"/>), and a category determining another
    /// is looked for both ways (<see cref="Constraints.ConstraintDetector.Detect"/>'s <c>bothWays</c>), and categories of up to
    /// <see cref="CategoryDiscriminant.MaxValuesWide"/> values are drawn given the others (<see cref="CategoryDiscriminant.MaxValuesOf"/>).
    /// </summary>
    BreachesInGroup = 10,

    /// <summary>
    /// As <see cref="BreachesInGroup"/>, and the correlation between two numbers chosen so that the values drawn have the training rows'
    /// Pearson correlation (<see cref="PearsonMatching"/>) rather than being that of their normal scores, which keeps their ranks
    /// together but not their values where a marginal is far from normal (two clumps, a long tail).
    /// </summary>
    PearsonMatched = 11,

    /// <summary>
    /// As <see cref="PearsonMatched"/> (the same fit), and a sample drawn in one block has its scores' correlations exactly the copula's
    /// (<see cref="CopulaSampling.StratifiedWhitened"/>).
    /// </summary>
    WhitenedBlocks = 12,

    /// <summary>
    /// As <see cref="WhitenedBlocks"/>, and more tables have a copula per group, in more groups: a value of
    /// <see cref="GaussianCopula.MinSmallGroupRows"/> training rows is a group of its own (<see cref="GaussianCopula.MinGroupRows"/>
    /// before: a class of 15 rows among 19 was pooled with the other small ones, and drawn with their symptoms), and a table of up to
    /// <see cref="GaussianCopula.MaxGroupedDimensionsWide"/> copula dimensions may be grouped (<see cref="GaussianCopula.MaxGroupedDimensions"/>
    /// before: a shop's baskets of 200 items and the kind of shopper kept one copula, so how each kind buys was averaged away).
    /// </summary>
    MoreGroups = 13,
}
