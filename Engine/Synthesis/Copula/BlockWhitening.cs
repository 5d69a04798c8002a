namespace RadMah.Engine.Synthesis.Copula;

/// <summary>
/// A block's independent normal draws made exactly uncorrelated (centred, then multiplied by the inverse of their sample
/// covariance's Cholesky factor: the sample's mean is 0 and its covariance the identity), so that correlating them with the
/// copula's factor gives scores whose sample correlations are the copula's. On n rows, plain draws' correlations are off by about
/// 1/√n (0.1 on a table of a hundred rows): as much noise as a small table's own correlations hold, which stratifying each column
/// (<see cref="StratifiedBlock"/>) does not remove. Iman and Conover (1982) correct a sample's correlations the same way.
/// </summary>
internal static class BlockWhitening
{
    /// <summary>
    /// <paramref name="count"/> rows of <paramref name="dimensions"/> draws (row-major), each row filled by <paramref name="draw"/>,
    /// whitened; left as drawn where the rows cannot be (no more rows than dimensions, or draws with no spread in some direction).
    /// Sums run in index order, so every machine computes the same values.
    /// </summary>
    public static double[] Whitened(int count, int dimensions, Action<int, Span<double>> draw)
    {
        var g = new double[count * dimensions];
        for (var r = 0; r < count; r++) draw(r, g.AsSpan(r * dimensions, dimensions));
        if (count <= dimensions + 1) return g;
        var mean = new double[dimensions];
        for (var r = 0; r < count; r++)
            for (var d = 0; d < dimensions; d++) mean[d] += g[r * dimensions + d];
        for (var d = 0; d < dimensions; d++) mean[d] /= count;
        var covariance = new double[dimensions, dimensions];
        var centred = new double[dimensions];
        for (var r = 0; r < count; r++)
        {
            for (var d = 0; d < dimensions; d++) centred[d] = g[r * dimensions + d] - mean[d];
            for (var i = 0; i < dimensions; i++)
                for (var j = 0; j <= i; j++) covariance[i, j] += centred[i] * centred[j];
        }
        for (var i = 0; i < dimensions; i++)
            for (var j = 0; j <= i; j++) covariance[j, i] = covariance[i, j] /= count;
        if (!GaussianCopula.TryCholesky(covariance, out var lower)) return g;
        var whitened = new double[count * dimensions];
        for (var r = 0; r < count; r++)
        {
            // Forward substitution: lower · w = the centred row.
            var w = whitened.AsSpan(r * dimensions, dimensions);
            for (var i = 0; i < dimensions; i++)
            {
                var sum = g[r * dimensions + i] - mean[i];
                for (var k = 0; k < i; k++) sum -= lower[i, k] * w[k];
                w[i] = sum / lower[i, i];
            }
        }
        return whitened;
    }
}
