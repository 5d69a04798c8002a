using MathNet.Numerics;

namespace RadMah.Engine.Synthesis.Copula;

/// <summary>The standard normal CDF and its inverse, clamped away from 0 and 1 so scores stay finite.</summary>
public static class StandardNormal
{
    /// <summary>Probabilities are kept in [ε, 1 − ε] (float32 epsilon, as Copulas does) before the inverse.</summary>
    public const double Epsilon = 1.1920928955078125e-07;

    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Constants.Sqrt2);

    public static double InverseCdf(double p)
    {
        p = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return -Constants.Sqrt2 * SpecialFunctions.ErfcInv(2 * p);
    }
}
