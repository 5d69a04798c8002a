using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis.Constraints;

/// <summary>
/// Finds the rules every real row obeys, keeping only those that could not hold by chance. A rule
/// needs <see cref="MinSupport"/> rows where its columns are all present, and then:
/// <list type="bullet">
/// <item>A ≤ B (numbers with numbers, dates with dates, times with times): no row breaks it, some
/// row has A &lt; B, and were the two columns unrelated at least <see cref="MinExpectedViolations"/>
/// rows would break it (A against a seeded shuffle of B);</item>
/// <item>A + B = C: every row sums to within C's precision, with A and B each non-zero on at least
/// <see cref="MinSupport"/> rows (so C is neither a copy of one term nor a constant);</item>
/// <item>forbidden combinations of two categories: never seen together, though unrelated columns
/// would show each at least <see cref="MinExpectedPairs"/> times (from synthesis revision 4, at least
/// ln(cells searched / <see cref="FalsePairRate"/>) times, when that is more);</item>
/// <item>one category determining another category or a number: each value of the first seen with
/// one value of the second only, where unrelated columns would have disagreed within the first's
/// values at least <see cref="MinExpectedViolations"/> times.</item>
/// </list>
/// Fixed ranges, integer-ness and decimal places need no rule: the model's marginals stay within
/// the training range and its codecs write integers and decimals as the real column does.
/// </summary>
public static class ConstraintDetector
{
    public const int MinSupport = 50;
    public const double MinExpectedViolations = 10;
    public const double MinExpectedPairs = 5;

    /// <summary>Rows used to estimate what unrelated columns would show (the rules themselves are checked on every row).</summary>
    public const int EstimateRows = 20_000;

    /// <summary>Category pairs with more cells than this are not searched for forbidden combinations.</summary>
    public const int MaxContingencyCells = 1_000_000;

    /// <summary>
    /// With <c>manyPairs</c>, the chance that any combination searched is missing by chance from unrelated columns is held to
    /// this: a missing combination must have been expected at least ln(cells searched / rate) times (Bonferroni over every cell
    /// of every pair of categories), not <see cref="MinExpectedPairs"/> whatever the count.
    /// </summary>
    public const double FalsePairRate = 0.05;

    /// <param name="manyPairs">
    /// Correct the forbidden-combination search for the number of combinations searched (synthesis revision 4 on): a table of
    /// dozens of category columns searches thousands of cells, and at 5 expected rows some are missing by chance.
    /// </param>
    /// <param name="bothWays">
    /// Look for a category determining another in both directions (synthesis revision 11 on): before, only a column determining one
    /// to its right was found, so a car's model fixing its manufacturer, written before it, was missed, and a copula drew models
    /// with any manufacturer.
    /// </param>
    public static IReadOnlyList<ConstraintRule> Detect(IReadOnlyList<TableColumn> table, long seed, bool manyPairs = false, bool bothWays = false)
    {
        var rules = new List<ConstraintRule>();
        var numbers = table.Select((c, i) => (Column: c as NumericColumn, Index: i)).Where(x => x.Column is not null).Select(x => x.Column!).ToArray();
        foreach (var a in numbers)
            foreach (var b in numbers)
                if (!ReferenceEquals(a, b) && Comparable(a, b) && IsInequality(a, b, seed)) rules.Add(new InequalityRule(a.Name, b.Name));
        var plain = numbers.Where(n => n.Role is NumericRole.Integer or NumericRole.Decimal).ToArray();
        for (var i = 0; i < plain.Length; i++)
            for (var j = i + 1; j < plain.Length; j++)
                foreach (var total in plain)
                    if (!ReferenceEquals(total, plain[i]) && !ReferenceEquals(total, plain[j]) && IsSum(plain[i], plain[j], total))
                        rules.Add(new SumRule(plain[i].Name, plain[j].Name, total.Name, total.Decimals ?? 6));
        var categories = table.OfType<CategoricalColumn>().ToArray();
        var minExpected = manyPairs ? Math.Max(MinExpectedPairs, Math.Log(SearchedCells(categories) / FalsePairRate)) : MinExpectedPairs;
        for (var i = 0; i < categories.Length; i++)
            for (var j = i + 1; j < categories.Length; j++)
                if (ForbiddenPairs(categories[i], categories[j], minExpected, bothWays) is { } rule) rules.Add(rule);
        foreach (var category in categories)
            foreach (var number in numbers)
                if (DeterminedNumber(category, number) is { } determined) rules.Add(determined);
        return rules;
    }

    /// <summary>
    /// A category fixing a number: each category seen with one number only, where unrelated columns
    /// would have disagreed within the categories' rows at least <see cref="MinExpectedViolations"/> times.
    /// </summary>
    private static DeterminesNumberRule? DeterminedNumber(CategoricalColumn first, NumericColumn second)
    {
        if (first.Categories.Length < 2) return null;
        var values = new double[first.Categories.Length];
        var counts = new long[first.Categories.Length];
        var numberCounts = new Dictionary<double, long>();
        long n = 0;
        for (var r = 0; r < first.Length; r++)
        {
            var (code, value) = (first.Codes[r], second.Values[r]);
            if (code < 0 || double.IsNaN(value)) continue;
            if (counts[code] == 0) values[code] = value;
            else if (values[code] != value) return null;
            counts[code]++;
            numberCounts[value] = numberCounts.GetValueOrDefault(value) + 1;
            n++;
        }
        if (n < MinSupport || numberCounts.Count < 2 || !Determines(counts, [.. numberCounts.Values], n)) return null;
        var fixedValues = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var code = 0; code < counts.Length; code++)
            if (counts[code] > 0) fixedValues[first.Categories[code]] = values[code];
        return new DeterminesNumberRule(first.Name, second.Name, fixedValues);
    }

    private static bool Comparable(NumericColumn a, NumericColumn b) => a.Role switch
    {
        NumericRole.Date or NumericRole.DateTime => a.Role == b.Role,
        _ => b.Role is NumericRole.Integer or NumericRole.Decimal,
    };

    private static bool IsInequality(NumericColumn low, NumericColumn high, long seed)
    {
        var (a, b) = (low.Values, high.Values);
        long support = 0, strict = 0;
        for (var r = 0; r < a.Length; r++)
        {
            if (double.IsNaN(a[r]) || double.IsNaN(b[r])) continue;
            if (a[r] > b[r]) return false;
            support++;
            if (a[r] < b[r]) strict++;
        }
        if (support < MinSupport || strict == 0) return false;
        return support * ShareBroken(a, b, seed) >= MinExpectedViolations;
    }

    /// <summary>The share of rows where A &gt; B if B's values were shuffled: P(A &gt; B′) over present pairs, on a seeded sample.</summary>
    private static double ShareBroken(double[] a, double[] b, long seed)
    {
        var key = SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x696E657175616CUL);
        var rows = Enumerable.Range(0, a.Length).Where(r => !double.IsNaN(a[r]) && !double.IsNaN(b[r])).ToArray();
        if (rows.Length > EstimateRows)
        {
            var p = (double)EstimateRows / rows.Length;
            rows = rows.Where(r => SplitMix64.ForCell(key, r, 0).NextDouble() < p).ToArray();
        }
        var sortedB = rows.Select(r => b[r]).Order().ToArray();
        double broken = 0;
        foreach (var r in rows)
        {
            // How many b are strictly below a[r].
            int lo = 0, hi = sortedB.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (sortedB[mid] < a[r]) lo = mid + 1;
                else hi = mid;
            }
            broken += lo;
        }
        return rows.Length == 0 ? 0 : broken / ((double)rows.Length * sortedB.Length);
    }

    private static bool IsSum(NumericColumn first, NumericColumn second, NumericColumn total)
    {
        var (a, b, c) = (first.Values, second.Values, total.Values);
        var decimals = total.Decimals ?? 6;
        long support = 0, aNonZero = 0, bNonZero = 0;
        for (var r = 0; r < a.Length; r++)
        {
            if (double.IsNaN(a[r]) || double.IsNaN(b[r]) || double.IsNaN(c[r])) continue;
            if (Math.Abs(a[r] + b[r] - c[r]) > SumRule.Tolerance(decimals, c[r])) return false;
            support++;
            if (a[r] != 0) aNonZero++;
            if (b[r] != 0) bNonZero++;
        }
        return support >= MinSupport && aNonZero >= MinSupport && bNonZero >= MinSupport;
    }

    /// <summary>Every cell of every pair of categories the forbidden-combination search looks at.</summary>
    private static double SearchedCells(CategoricalColumn[] categories)
    {
        var cells = 0.0;
        for (var i = 0; i < categories.Length; i++)
            for (var j = i + 1; j < categories.Length; j++)
            {
                var (na, nb) = (categories[i].Categories.Length, categories[j].Categories.Length);
                if (na >= 2 && nb >= 2 && (long)na * nb <= MaxContingencyCells) cells += (double)na * nb;
            }
        return cells;
    }

    /// <summary>
    /// Whether values seen <paramref name="determining"/> times each, all with one value of a column whose values are seen
    /// <paramref name="determined"/> times, could not be so by chance: unrelated columns would have disagreed at least
    /// <see cref="MinExpectedViolations"/> times.
    /// </summary>
    private static bool Determines(long[] determining, long[] determined, long n)
    {
        var concentration = determined.Sum(c => Math.Pow((double)c / n, 2));
        return determining.Where(c => c > 0).Sum(c => (c - 1) * (1 - concentration)) >= MinExpectedViolations;
    }

    private static ForbiddenPairsRule? ForbiddenPairs(CategoricalColumn first, CategoricalColumn second, double minExpected, bool bothWays)
    {
        var (na, nb) = (first.Categories.Length, second.Categories.Length);
        if (na < 2 || nb < 2 || (long)na * nb > MaxContingencyCells) return null;
        var counts = new long[na, nb];
        var rowTotals = new long[na];
        var columnTotals = new long[nb];
        long n = 0;
        for (var r = 0; r < first.Length; r++)
        {
            var (x, y) = (first.Codes[r], second.Codes[r]);
            if (x < 0 || y < 0) continue;
            counts[x, y]++;
            rowTotals[x]++;
            columnTotals[y]++;
            n++;
        }
        if (n < MinSupport) return null;
        var pairs = new List<(string, string)>();
        var given = new Dictionary<string, IReadOnlyList<(string, long)>>(StringComparer.Ordinal);
        var functional = true;
        for (var x = 0; x < na; x++)
        {
            var seen = new List<(string, long)>();
            for (var y = 0; y < nb; y++)
            {
                if (counts[x, y] > 0) seen.Add((second.Categories[y], counts[x, y]));
                else if ((double)rowTotals[x] * columnTotals[y] / n >= minExpected) pairs.Add((first.Categories[x], second.Categories[y]));
            }
            if (seen.Count > 0) given[first.Categories[x]] = [.. seen.OrderByDescending(c => c.Item2).ThenBy(c => c.Item1, StringComparer.Ordinal)];
            functional &= seen.Count <= 1;
        }
        // One column fixing the other: unrelated columns would disagree within a first value's rows
        // (c − 1)·(1 − Σ p²) times for each value seen c times; that many disagreements must have been possible.
        if (functional && Determines(rowTotals, columnTotals, n))
            return new ForbiddenPairsRule(first.Name, second.Name, [], given);
        if (bothWays && Enumerable.Range(0, nb).All(y => Enumerable.Range(0, na).Count(x => counts[x, y] > 0) <= 1)
            && Determines(columnTotals, rowTotals, n))
        {
            var reverse = new Dictionary<string, IReadOnlyList<(string, long)>>(StringComparer.Ordinal);
            for (var y = 0; y < nb; y++)
                for (var x = 0; x < na; x++)
                    if (counts[x, y] > 0) reverse[second.Categories[y]] = [(first.Categories[x], counts[x, y])];
            return new ForbiddenPairsRule(second.Name, first.Name, [], reverse);
        }
        if (pairs.Count == 0) return null;
        pairs.Sort((p, q) => string.CompareOrdinal(p.Item1, q.Item1) is var c and not 0 ? c : string.CompareOrdinal(p.Item2, q.Item2));
        return new ForbiddenPairsRule(first.Name, second.Name, pairs, given);
    }
}
