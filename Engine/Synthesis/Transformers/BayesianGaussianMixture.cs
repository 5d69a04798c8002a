using MathNet.Numerics;
using RadMah.Engine.Randomness;

namespace RadMah.Engine.Synthesis.Transformers;

/// <summary>
/// A one-dimensional variational Gaussian mixture with a Dirichlet-process prior on the weights,
/// as scikit-learn's BayesianGaussianMixture fits it (and RDT's ClusterBasedNormalizer uses it for
/// CTGAN's and TVAE's mode-specific normalization): up to <c>components</c> modes, a weight
/// concentration prior of 0.001 so unneeded modes fade, k-means initialisation from a seed, and
/// coordinate ascent on the evidence lower bound until it changes by less than the tolerance.
/// Deterministic: the same values and seed give the same mixture.
/// </summary>
public sealed class BayesianGaussianMixture
{
    private BayesianGaussianMixture(double[] weights, double[] means, double[] deviations, int iterations, bool converged)
    {
        Weights = weights;
        Means = means;
        Deviations = deviations;
        Iterations = iterations;
        Converged = converged;
    }

    /// <summary>Posterior mean weight of each component (summing to 1).</summary>
    public double[] Weights { get; }

    public double[] Means { get; }

    /// <summary>Standard deviation of each component.</summary>
    public double[] Deviations { get; }

    public int Iterations { get; }

    public bool Converged { get; }

    /// <summary>
    /// Fits the mixture to <paramref name="values"/> (NaN are skipped). Defaults are scikit-learn's as
    /// RDT sets them: 10 components, weight concentration 0.001, mean precision 1, degrees of freedom 1,
    /// at most 100 iterations, tolerance 1e-3 on the change of the evidence lower bound, covariances
    /// regularised by 1e-6.
    /// </summary>
    public static BayesianGaussianMixture Fit(ReadOnlySpan<double> values, long seed, int components = 10, double weightConcentration = 0.001,
        int maxIterations = 100, double tolerance = 1e-3)
    {
        var x = new List<double>(values.Length);
        foreach (var v in values)
            if (double.IsFinite(v)) x.Add(v);
        var n = x.Count;
        if (n == 0) throw new ArgumentException("a mixture needs at least one value.");
        var k = Math.Max(1, Math.Min(components, n));
        double mean = 0, variance = 0;
        foreach (var v in x) mean += v;
        mean /= n;
        foreach (var v in x) variance += (v - mean) * (v - mean);
        variance = Math.Max(variance / n, 1e-6);

        // Priors (scikit-learn's defaults for one feature).
        const double meanPrecisionPrior = 1, dofPrior = 1, regularisation = 1e-6;
        var meanPrior = mean;
        var covariancePrior = variance;

        var resp = KMeansResponsibilities(x, k, seed);
        var (nk, xk, sk) = Statistics(x, resp, k, regularisation);
        var alpha = new double[k];
        var beta = new double[k];
        var meanPrecision = new double[k];
        var means = new double[k];
        var dof = new double[k];
        var precisionScale = new double[k]; // W_k for one feature: the Wishart scale (a precision).
        void MStep()
        {
            for (var j = 0; j < k; j++)
            {
                alpha[j] = 1 + nk[j];
                double rest = 0;
                for (var l = j + 1; l < k; l++) rest += nk[l];
                beta[j] = weightConcentration + rest;
                meanPrecision[j] = meanPrecisionPrior + nk[j];
                means[j] = (meanPrecisionPrior * meanPrior + nk[j] * xk[j]) / meanPrecision[j];
                dof[j] = dofPrior + nk[j];
                var diff = xk[j] - meanPrior;
                var covariance = covariancePrior + nk[j] * sk[j] + meanPrecisionPrior * nk[j] / meanPrecision[j] * diff * diff;
                precisionScale[j] = 1 / covariance;
            }
        }
        MStep();

        var logResp = new double[n * k];
        var lowerBound = double.NegativeInfinity;
        var converged = false;
        var iteration = 0;
        for (iteration = 1; iteration <= maxIterations; iteration++)
        {
            // E-step: expected log weights (stick-breaking) and expected log densities.
            var logWeights = new double[k];
            double stick = 0;
            for (var j = 0; j < k; j++)
            {
                var digammaSum = SpecialFunctions.DiGamma(alpha[j] + beta[j]);
                logWeights[j] = SpecialFunctions.DiGamma(alpha[j]) - digammaSum + stick;
                stick += SpecialFunctions.DiGamma(beta[j]) - digammaSum;
            }
            var logDetPrecision = new double[k];
            for (var j = 0; j < k; j++) logDetPrecision[j] = SpecialFunctions.DiGamma(dof[j] / 2) + Math.Log(2) + Math.Log(precisionScale[j]);
            double entropy = 0;
            for (var i = 0; i < n; i++)
            {
                var max = double.NegativeInfinity;
                for (var j = 0; j < k; j++)
                {
                    var d = x[i] - means[j];
                    var value = logWeights[j] + 0.5 * logDetPrecision[j] - 0.5 * Math.Log(2 * Math.PI) - 0.5 * (1 / meanPrecision[j] + dof[j] * precisionScale[j] * d * d);
                    logResp[i * k + j] = value;
                    max = Math.Max(max, value);
                }
                double sum = 0;
                for (var j = 0; j < k; j++) sum += Math.Exp(logResp[i * k + j] - max);
                var logNorm = max + Math.Log(sum);
                for (var j = 0; j < k; j++)
                {
                    var logR = logResp[i * k + j] - logNorm;
                    var r = Math.Exp(logR);
                    resp[i * k + j] = r;
                    if (r > 0) entropy -= r * logR;
                }
            }
            (nk, xk, sk) = Statistics(x, resp, k, regularisation);
            MStep();
            // scikit-learn's evidence lower bound (up to constants), compared as it does, unscaled.
            double logWishart = 0, logNormWeight = 0, logMeanPrecision = 0;
            for (var j = 0; j < k; j++)
            {
                logWishart -= dof[j] * 0.5 * Math.Log(precisionScale[j]) + 0.5 * dof[j] * Math.Log(2) + SpecialFunctions.GammaLn(dof[j] / 2);
                logNormWeight -= SpecialFunctions.BetaLn(alpha[j], beta[j]);
                logMeanPrecision += Math.Log(meanPrecision[j]);
            }
            var bound = entropy - logWishart - logNormWeight - 0.5 * logMeanPrecision;
            if (Math.Abs(bound - lowerBound) < tolerance)
            {
                converged = true;
                break;
            }
            lowerBound = bound;
        }

        // Posterior mean weights of the stick-breaking process.
        var weights = new double[k];
        double remaining = 1;
        for (var j = 0; j < k; j++)
        {
            var fraction = alpha[j] / (alpha[j] + beta[j]);
            weights[j] = remaining * fraction;
            remaining *= 1 - fraction;
        }
        var total = weights.Sum();
        for (var j = 0; j < k; j++) weights[j] /= total;
        var deviations = new double[k];
        for (var j = 0; j < k; j++) deviations[j] = Math.Sqrt(1 / (dof[j] * precisionScale[j]));
        return new BayesianGaussianMixture(weights, means, deviations, Math.Min(iteration, maxIterations), converged);
    }

    /// <summary>Per-component counts, means and variances under the responsibilities.</summary>
    private static (double[] Nk, double[] Xk, double[] Sk) Statistics(List<double> x, double[] resp, int k, double regularisation)
    {
        var nk = new double[k];
        var xk = new double[k];
        var sk = new double[k];
        for (var i = 0; i < x.Count; i++)
            for (var j = 0; j < k; j++)
            {
                var r = resp[i * k + j];
                nk[j] += r;
                xk[j] += r * x[i];
            }
        for (var j = 0; j < k; j++)
        {
            // As scikit-learn: ten machine epsilons keep an empty component's count from being zero.
            nk[j] += 10 * 2.220446049250313e-16;
            xk[j] /= nk[j];
        }
        for (var i = 0; i < x.Count; i++)
            for (var j = 0; j < k; j++)
            {
                var d = x[i] - xk[j];
                sk[j] += resp[i * k + j] * d * d;
            }
        for (var j = 0; j < k; j++) sk[j] = sk[j] / nk[j] + regularisation;
        return (nk, xk, sk);
    }

    /// <summary>Hard responsibilities from k-means (k-means++ seeding from the seed, Lloyd iterations).</summary>
    private static double[] KMeansResponsibilities(List<double> x, int k, long seed)
    {
        var random = new SplitMix64(SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x6B6D65616E73UL));
        var centres = new double[k];
        centres[0] = x[(int)random.NextBelow((ulong)x.Count)];
        var distance = new double[x.Count];
        for (var c = 1; c < k; c++)
        {
            double total = 0;
            for (var i = 0; i < x.Count; i++)
            {
                var best = double.PositiveInfinity;
                for (var j = 0; j < c; j++) best = Math.Min(best, (x[i] - centres[j]) * (x[i] - centres[j]));
                distance[i] = best;
                total += best;
            }
            if (total <= 0)
            {
                centres[c] = centres[c - 1];
                continue;
            }
            var target = random.NextDouble() * total;
            var chosen = x.Count - 1;
            for (var i = 0; i < x.Count; i++)
            {
                target -= distance[i];
                if (target < 0)
                {
                    chosen = i;
                    break;
                }
            }
            centres[c] = x[chosen];
        }
        var label = new int[x.Count];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var changed = false;
            for (var i = 0; i < x.Count; i++)
            {
                var best = 0;
                for (var j = 1; j < k; j++)
                    if (Math.Abs(x[i] - centres[j]) < Math.Abs(x[i] - centres[best])) best = j;
                changed |= label[i] != best || iteration == 0;
                label[i] = best;
            }
            if (!changed) break;
            var sums = new double[k];
            var counts = new int[k];
            for (var i = 0; i < x.Count; i++)
            {
                sums[label[i]] += x[i];
                counts[label[i]]++;
            }
            for (var j = 0; j < k; j++)
                if (counts[j] > 0) centres[j] = sums[j] / counts[j];
        }
        var resp = new double[x.Count * k];
        for (var i = 0; i < x.Count; i++) resp[i * k + label[i]] = 1;
        return resp;
    }
}
