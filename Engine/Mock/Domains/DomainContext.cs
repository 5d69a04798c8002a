using RadMah.Engine.Mock.Vocabulary;

namespace RadMah.Engine.Mock.Domains;

/// <summary>What the description said beyond the record type: size, time window and currency.</summary>
public sealed record DomainContext(long Rows, DateTime WindowStart, DateTime WindowEnd, string? Currency)
{
    /// <summary>Countries allowed by the currency phrase ("in EUR" keeps only euro countries, so country and currency agree).</summary>
    public IReadOnlyList<CountryInfo> Countries =>
        Currency is null ? Vocabulary.Countries.All : Vocabulary.Countries.All.Where(c => c.Currency == Currency).ToArray();

    /// <summary>Size of a referenced id space: one referenced entity per <paramref name="rowsPerEntity"/> rows.</summary>
    public long Cardinality(long rowsPerEntity) => Math.Clamp(Rows / rowsPerEntity, 1, 100_000_000);
}
