using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Records;

namespace RadMah.Grains.Artifacts;

/// <summary>
/// Writes artifact rows to the platform records. A committing job registers its artifacts here
/// directly rather than through an artifact grain each: a grain per artifact would add an activation
/// and a call per output to every success, each kept in memory until collected, for a record a
/// download reads back on demand anyway (<see cref="ArtifactGrain"/>).
/// </summary>
public sealed class ArtifactCatalog(IPlatformRecords records)
{
    /// <summary>A job's artifacts in one write, idempotent as <see cref="RegisterAsync"/>: when some were registered before (a resumed commit), each is checked on its own.</summary>
    public async Task RegisterAllAsync(IReadOnlyList<ArtifactRecord> artifacts)
    {
        try
        {
            await records.AddArtifactsAsync(artifacts);
        }
        catch (DuplicateRecordException)
        {
            foreach (var record in artifacts) await RegisterAsync(record);
        }
    }

    /// <summary>Idempotent: the same record again is a no-op; a different record under the same id is refused.</summary>
    public async Task RegisterAsync(ArtifactRecord record)
    {
        try
        {
            await records.AddArtifactAsync(record);
        }
        catch (DuplicateRecordException)
        {
            // Registered before (a resumed commit): it must be what is stored.
            var stored = await records.FindArtifactAsync(record.Id);
            if (stored is null) throw;
            if (stored with { CreatedAt = record.CreatedAt } != record)
                throw new RadMahException(RadMahException.FailedPrecondition, $"artifact {record.Id} is already registered with other content.");
        }
    }
}
