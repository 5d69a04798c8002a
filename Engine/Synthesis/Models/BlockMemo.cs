namespace RadMah.Engine.Synthesis.Models;

/// <summary>
/// What a sampler drew for a block, kept between a copy's tries within one <see cref="IRowSampler.SampleAgain"/> sequence: a
/// stratified block's strata depend only on the seed and the block, so the tries need not draw and sort them again. Owned by one
/// caller (one block of rows at a time), so not shared between threads.
/// </summary>
public sealed class BlockMemo
{
    private readonly Dictionary<(object Sampler, ulong SeedKey, long FirstRow, int Count), object> _kept = [];

    /// <summary>What <paramref name="sampler"/> kept for the block, or what <paramref name="draw"/> gives, kept from now on.</summary>
    public T GetOrAdd<T>(object sampler, ulong seedKey, long firstRow, int count, Func<T> draw)
        where T : class
    {
        var key = (sampler, seedKey, firstRow, count);
        if (_kept.TryGetValue(key, out var kept)) return (T)kept;
        var value = draw();
        _kept[key] = value;
        return value;
    }
}
