namespace RadMah.Engine.Synthesis.Copula;

/// <summary>How a copula draws the rows of one sampling block. Stored in the copula's JSON, so a sealed model or contract samples as it did.</summary>
public enum CopulaSampling
{
    /// <summary>Each row on its own: a row depends only on the seed and its index (copulas fitted before stratified sampling).</summary>
    Independent,

    /// <summary>
    /// Rows together, in blocks of up to <see cref="StratifiedBlock.MaxRows"/> (<see cref="StratifiedBlock"/>): in each
    /// dimension a block's n rows take one value from each of n equal-probability strata, in the order of their correlated
    /// scores. A sample depends on the seed, its first row and its row count; callers sample on a fixed grid (a contract's
    /// chunks), so reruns give the same bytes.
    /// </summary>
    Stratified,

    /// <summary>
    /// As <see cref="Stratified"/>, with each row's independent normal draws taken by the ziggurat method
    /// (<see cref="Randomness.Ziggurat"/>) instead of Box–Muller: the same distribution, other draws, at a fraction of the cost.
    /// </summary>
    StratifiedZiggurat,

    /// <summary>
    /// As <see cref="StratifiedZiggurat"/>, and a sample drawn in one block (fewer than <see cref="StratifiedBlock.MaxRows"/> rows:
    /// a small table's synthetic rows) has its independent draws whitened before they are correlated, so that the block's scores
    /// have the copula's correlations exactly rather than within sampling noise (about 1/√n; <see cref="BlockWhitening"/>).
    /// </summary>
    StratifiedWhitened,
}
