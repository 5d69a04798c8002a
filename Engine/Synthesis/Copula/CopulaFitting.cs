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
}
