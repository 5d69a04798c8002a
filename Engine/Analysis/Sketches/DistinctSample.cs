namespace RadMah.Engine.Analysis.Sketches;

/// <summary>
/// The <see cref="Capacity"/> smallest distinct 64-bit hashes of a column (a KMV / bottom-k
/// sketch): a uniform sample of its distinct values, whatever their frequencies, in fixed memory.
/// The share of the sample found in another column's <see cref="BloomFilter"/> estimates how much
/// of this column's value set that column contains (a foreign key's containment).
/// </summary>
public sealed class DistinctSample
{
    public const int Capacity = 1024;

    private readonly SortedSet<ulong> _smallest = [];
    private ulong _largest = ulong.MaxValue;

    public int Count => _smallest.Count;

    public void Add(ulong hash)
    {
        // Most values of a large column are above the sample's largest: one comparison.
        if (_smallest.Count == Capacity && hash >= _largest) return;
        if (!_smallest.Add(hash)) return;
        if (_smallest.Count > Capacity) _smallest.Remove(_smallest.Max);
        if (_smallest.Count == Capacity) _largest = _smallest.Max;
    }

    /// <summary>Share of the sampled distinct values that <paramref name="other"/> holds (0 when empty).</summary>
    public double ContainedIn(BloomFilter other) =>
        _smallest.Count == 0 ? 0 : (double)_smallest.Count(other.MightContain) / _smallest.Count;
}
