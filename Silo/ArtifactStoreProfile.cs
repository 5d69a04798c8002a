namespace RadMah.Silo;

/// <summary>Where a node keeps artifact bytes.</summary>
public enum ArtifactStoreProfile
{
    /// <summary>Files under the data directory (RadMah.Artifacts.LocalDiskArtifactStore); for a cluster, a directory every node mounts.</summary>
    Local,

    /// <summary>Chunks in the PostgreSQL database of the storage profile (RadMah.Artifacts.PostgresArtifactStore), reachable from any machine.</summary>
    Postgres,
}
