namespace RadMah.Engine.Transparency;

/// <summary>
/// What a growing Merkle log keeps in memory to answer roots and proofs: the root of every complete
/// block of <see cref="BlockSize"/> leaves, and the leaves of the last, incomplete block. Memory is
/// one hash per block (32 bytes per 1,024 leaves) instead of one per leaf. A root of the whole log
/// needs nothing more; a proof about an older leaf needs the leaves of one or two complete blocks,
/// which the caller reads from wherever the log is stored and hands over with <see cref="Supply"/>
/// (<see cref="LeavesNeededException"/> says which). A few supplied blocks are kept for the next proofs.
/// </summary>
public sealed class MerkleLogHashes
{
    public const int BlockSize = 1024;

    /// <summary>Supplied blocks kept: a proof needs at most two, and the next proof is often about a nearby leaf.</summary>
    private const int CachedBlocks = 4;

    private readonly List<byte[]> _blockRoots = [];
    private readonly List<byte[]> _tail = [];
    private readonly LinkedList<(long Block, IReadOnlyList<byte[]> Leaves)> _cached = [];

    public long Size { get; private set; }

    public void Append(byte[] leafHash)
    {
        if (leafHash.Length != MerkleTree.HashSize) throw new ArgumentException($"a leaf hash has {MerkleTree.HashSize} bytes, not {leafHash.Length}.", nameof(leafHash));
        _tail.Add(leafHash);
        Size++;
        if (_tail.Count < BlockSize) return;
        _blockRoots.Add(MerkleTree.Subtree(_tail, 0, BlockSize));
        _tail.Clear();
    }

    public byte[] Root(long size) => MerkleTree.Root(Subtree, RequireSize(size));

    public IReadOnlyList<byte[]> InclusionProof(long index, long size) => MerkleTree.InclusionProof(Subtree, index, RequireSize(size));

    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize) => MerkleTree.ConsistencyProof(Subtree, oldSize, RequireSize(newSize));

    /// <summary>
    /// Hands over the leaves of complete block <paramref name="block"/> (leaves block × BlockSize
    /// onwards), checked against the block's root: leaves that do not hash to it are refused.
    /// </summary>
    public void Supply(long block, IReadOnlyList<byte[]> leaves)
    {
        if (block < 0 || block >= _blockRoots.Count) throw new ArgumentOutOfRangeException(nameof(block), $"the log has {_blockRoots.Count} complete blocks; {block} is not one of them.");
        if (leaves.Count != BlockSize || !MerkleTree.Subtree(leaves, 0, BlockSize).AsSpan().SequenceEqual(_blockRoots[(int)block]))
            throw new InvalidDataException($"the leaves read for block {block} (leaves {block * BlockSize}–{(block + 1) * BlockSize - 1}) do not give the block's root: the stored log changed.");
        _cached.AddFirst((block, leaves));
        if (_cached.Count > CachedBlocks) _cached.RemoveLast();
    }

    /// <summary>The hash of leaves [start, start + count): whole blocks from their roots, other leaves from the tail or a supplied block.</summary>
    private byte[] Subtree(long start, long count)
    {
        if (count >= BlockSize && (count & (count - 1)) == 0 && start % count == 0)
            return MerkleTree.Subtree(_blockRoots, start / BlockSize, count / BlockSize);
        if (count == 1) return Leaf(start);
        var k = MerkleTree.SplitPoint(count);
        return MerkleTree.NodeHash(Subtree(start, k), Subtree(start + k, count - k));
    }

    private byte[] Leaf(long index)
    {
        var block = index / BlockSize;
        if (block == _blockRoots.Count) return _tail[(int)(index % BlockSize)];
        for (var node = _cached.First; node is not null; node = node.Next)
            if (node.Value.Block == block) return node.Value.Leaves[(int)(index % BlockSize)];
        throw new LeavesNeededException(block, block * BlockSize, BlockSize);
    }

    private long RequireSize(long size) =>
        size < 0 || size > Size ? throw new ArgumentOutOfRangeException(nameof(size), $"the log has {Size} leaves, not {size}.") : size;
}

/// <summary>A root or proof needs the leaves of a complete block that memory does not hold: read them and <see cref="MerkleLogHashes.Supply"/> them.</summary>
public sealed class LeavesNeededException(long block, long firstIndex, int count)
    : Exception($"leaves {firstIndex}–{firstIndex + count - 1} (block {block}) are needed")
{
    public long Block { get; } = block;
    public long FirstIndex { get; } = firstIndex;
    public int Count { get; } = count;
}
