namespace RadMah.Grains.Interfaces.Artifacts;

/// <summary>The catalogue entry of one artifact, keyed by its id (art_…), so downloads find bytes by artifact id alone.</summary>
public interface IArtifactGrain : IGrainWithStringKey
{
    /// <summary>The record, or not_found.</summary>
    Task<ArtifactRecord> GetAsync();
}
