using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Records;

namespace RadMah.Grains.Artifacts;

/// <summary>One artifact's catalogue entry, activated by reads: a cache of its row in the platform records (written by <see cref="ArtifactCatalog"/>).</summary>
public sealed class ArtifactGrain(IPlatformRecords records) : Grain, IArtifactGrain
{
    private ArtifactRecord? _record;

    private string ArtifactId => this.GetPrimaryKeyString();

    public async Task<ArtifactRecord> GetAsync()
    {
        _record ??= await records.FindArtifactAsync(ArtifactId);
        if (_record is not null) return _record;
        // Nothing to cache: an id asked for before its job committed must find the row once it has.
        DeactivateOnIdle();
        throw new RadMahException(RadMahException.NotFound, $"artifact {ArtifactId} does not exist.", "artifact_id");
    }
}
