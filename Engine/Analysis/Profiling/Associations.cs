using MathNet.Numerics.Statistics;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>
/// Pairwise association between columns, on the row sample: Pearson and Spearman for two numeric
/// (or temporal) columns, Cramér's V for two categorical ones, and the correlation ratio η for a
/// categorical and a numeric one. Rows missing either value are left out of that pair.
/// Identifiers, free text and other high-cardinality strings take no part.
/// </summary>
public static class Associations
{
    /// <summary>Columns with more categories than this are not treated as categorical here.</summary>
    public const int MaxCategories = 100;
    private const int MinPairs = 3;

    private enum Role { None, Numeric, Temporal, Categorical }

    public static IReadOnlyList<Association> Compute(IReadOnlyList<(string Name, string Type, long Distinct)> columns,
        IReadOnlyList<ulong[]> hashes, IReadOnlyList<double[]> numbers, IReadOnlyList<double[]> instants)
    {
        var roles = columns.Select(c => c.Type switch
        {
            SemanticTypes.Integer or SemanticTypes.Decimal or SemanticTypes.Currency or SemanticTypes.Latitude or SemanticTypes.Longitude => Role.Numeric,
            SemanticTypes.Date or SemanticTypes.DateTime => Role.Temporal,
            SemanticTypes.Categorical or SemanticTypes.Boolean or SemanticTypes.CountryCode when c.Distinct <= MaxCategories => Role.Categorical,
            _ => Role.None,
        }).ToArray();
        var result = new List<Association>();
        for (var a = 0; a < columns.Count; a++)
        {
            if (roles[a] == Role.None) continue;
            for (var b = a + 1; b < columns.Count; b++)
            {
                if (roles[b] == Role.None) continue;
                var numericA = roles[a] is Role.Numeric or Role.Temporal;
                var numericB = roles[b] is Role.Numeric or Role.Temporal;
                double[] Values(int column) => [.. Enumerable.Range(0, hashes.Count).Select(r => roles[column] == Role.Temporal ? instants[r][column] : numbers[r][column])];
                Association? association;
                if (numericA && numericB) association = Correlate(columns[a].Name, columns[b].Name, Values(a), Values(b));
                else if (!numericA && !numericB) association = CramersV(columns[a].Name, columns[b].Name, hashes.Select(h => h[a]).ToArray(), hashes.Select(h => h[b]).ToArray());
                else if (numericA) association = CorrelationRatio(columns[b].Name, columns[a].Name, hashes.Select(h => h[b]).ToArray(), Values(a), swap: true);
                else association = CorrelationRatio(columns[a].Name, columns[b].Name, hashes.Select(h => h[a]).ToArray(), Values(b), swap: false);
                if (association is not null) result.Add(association);
            }
        }
        return result;
    }

    private static Association? Correlate(string a, string b, double[] x, double[] y)
    {
        var xs = new List<double>(x.Length);
        var ys = new List<double>(y.Length);
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            xs.Add(x[i]);
            ys.Add(y[i]);
        }
        if (xs.Count < MinPairs) return null;
        var pearson = Correlation.Pearson(xs, ys);
        var spearman = Correlation.Spearman(xs, ys);
        // A constant column correlates with nothing (MathNet gives NaN).
        return new Association(a, b, "pearson", Round(double.IsNaN(pearson) ? 0 : pearson), Round(double.IsNaN(spearman) ? 0 : spearman));
    }

    private static Association? CramersV(string a, string b, ulong[] x, ulong[] y)
    {
        var table = new Dictionary<(ulong, ulong), long>();
        var rows = new Dictionary<ulong, long>();
        var cols = new Dictionary<ulong, long>();
        long n = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] == 0 || y[i] == 0) continue;
            n++;
            table[(x[i], y[i])] = table.GetValueOrDefault((x[i], y[i])) + 1;
            rows[x[i]] = rows.GetValueOrDefault(x[i]) + 1;
            cols[y[i]] = cols.GetValueOrDefault(y[i]) + 1;
        }
        if (n < MinPairs) return null;
        var k = Math.Min(rows.Count, cols.Count);
        if (k < 2) return new Association(a, b, "cramers_v", 0);
        double chi2 = 0;
        foreach (var (r, rc) in rows)
            foreach (var (c, cc) in cols)
            {
                var expected = (double)rc * cc / n;
                var observed = table.GetValueOrDefault((r, c));
                chi2 += (observed - expected) * (observed - expected) / expected;
            }
        return new Association(a, b, "cramers_v", Round(Math.Sqrt(chi2 / (n * (k - 1)))));
    }

    /// <summary>η = sqrt(between-group sum of squares / total sum of squares) of the numeric column grouped by the categorical one.</summary>
    private static Association? CorrelationRatio(string categorical, string numeric, ulong[] groups, double[] values, bool swap)
    {
        var sums = new Dictionary<ulong, (double Sum, long Count)>();
        double total = 0;
        long n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (groups[i] == 0 || double.IsNaN(values[i])) continue;
            var (s, c) = sums.GetValueOrDefault(groups[i]);
            sums[groups[i]] = (s + values[i], c + 1);
            total += values[i];
            n++;
        }
        if (n < MinPairs) return null;
        var mean = total / n;
        double ssTotal = 0;
        for (var i = 0; i < values.Length; i++)
            if (groups[i] != 0 && !double.IsNaN(values[i])) ssTotal += (values[i] - mean) * (values[i] - mean);
        double ssBetween = 0;
        foreach (var (s, c) in sums.Values) ssBetween += c * (s / c - mean) * (s / c - mean);
        var eta = ssTotal > 0 ? Math.Sqrt(Math.Min(1, ssBetween / ssTotal)) : 0;
        return swap ? new Association(numeric, categorical, "correlation_ratio", Round(eta)) : new Association(categorical, numeric, "correlation_ratio", Round(eta));
    }

    private static double Round(double v) => Math.Round(v, 6);
}
