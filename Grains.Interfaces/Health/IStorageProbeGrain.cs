namespace RadMah.Grains.Interfaces.Health;

/// <summary>
/// Proves the cluster's grain storage takes writes: each probe writes one small state through the
/// same provider every platform grain uses. Health checks call it; it fails while storage is away.
/// </summary>
public interface IStorageProbeGrain : IGrainWithStringKey
{
    public const string Key = "storage";

    /// <summary>Writes and returns the probe's sequence number.</summary>
    Task<long> ProbeAsync();
}
