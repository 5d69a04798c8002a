using RadMah.Engine.Analysis.Sketches;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>
/// Candidate foreign keys between tables: a.x → b.y when y is a candidate primary key of b and at
/// least <see cref="MinContainment"/> of x's sampled distinct values are among y's values (tested
/// against y's Bloom filter, so a key of any size is checked in fixed memory). Values match by their
/// exact text (tables read from different formats can hash the same number differently).
/// </summary>
public static class ForeignKeys
{
    public const double MinContainment = 0.95;

    private static readonly HashSet<string> Referencing =
        [SemanticTypes.Identifier, SemanticTypes.Integer, SemanticTypes.Categorical, SemanticTypes.Email, SemanticTypes.Phone, SemanticTypes.CountryCode, SemanticTypes.PostalCode];

    /// <summary>A profiled table with what the search needs: every column's distinct sample, and the filters of its candidate keys only.</summary>
    public sealed record Table(string DatasetId, DatasetProfile Profile, IReadOnlyDictionary<string, DistinctSample> Samples, IReadOnlyDictionary<string, BloomFilter> KeyFilters)
    {
        public static Table From(string datasetId, ProfileResult result)
        {
            var keys = result.Profile.Table.CandidatePrimaryKeys.Select(k => k.Column).ToHashSet(StringComparer.Ordinal);
            return new Table(datasetId, result.Profile,
                result.Columns.Where(c => c.KeySample is not null).ToDictionary(c => c.Name, c => c.KeySample!, StringComparer.Ordinal),
                result.Columns.Where(c => keys.Contains(c.Name) && c.KeyFilter is not null).ToDictionary(c => c.Name, c => c.KeyFilter!, StringComparer.Ordinal));
        }
    }

    /// <summary>Every candidate from <paramref name="subject"/> into the others, and from the others into it.</summary>
    public static IReadOnlyList<ForeignKeyCandidate> Find(Table subject, IReadOnlyList<Table> others)
    {
        var found = new List<ForeignKeyCandidate>();
        foreach (var other in others)
        {
            found.AddRange(Between(subject, other));
            found.AddRange(Between(other, subject));
        }
        return found.OrderBy(f => f.Dataset, StringComparer.Ordinal).ThenBy(f => f.Column, StringComparer.Ordinal)
            .ThenBy(f => f.ReferencesDataset, StringComparer.Ordinal).ThenBy(f => f.ReferencesColumn, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<ForeignKeyCandidate> Between(Table from, Table to)
    {
        foreach (var column in from.Profile.Columns)
        {
            if (!Referencing.Contains(column.SemanticType) || column.Distinct.Count < 2) continue;
            if (!from.Samples.TryGetValue(column.Name, out var sample) || sample.Count == 0) continue;
            foreach (var (key, filter) in to.KeyFilters.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var containment = Math.Round(sample.ContainedIn(filter), 4);
                if (containment >= MinContainment) yield return new ForeignKeyCandidate(from.DatasetId, column.Name, to.DatasetId, key, containment);
            }
        }
    }
}
