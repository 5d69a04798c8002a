using System.Security.Cryptography;

namespace RadMah.Engine.Transparency;

/// <summary>
/// The Merkle tree hash of RFC 6962 §2.1 / RFC 9162 §2.1: leaf = SHA-256(0x00 ‖ entry), node =
/// SHA-256(0x01 ‖ left ‖ right), a tree of n leaves splits at the largest power of two below n.
/// Proofs are built from the leaf hashes and checked with RFC 9162's verification algorithms, so
/// a verifier needs only the proof, the sizes and the root hashes.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(entry);
        return hash.GetHashAndReset();
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The root of the first <paramref name="size"/> leaves (the hash of the empty string for none).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, long size)
    {
        RequireSize(leafHashes, size);
        return Root(Over(leafHashes), size);
    }

    /// <summary>The audit path of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves (RFC 6962 PATH).</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long size)
    {
        RequireSize(leafHashes, size);
        return InclusionProof(Over(leafHashes), index, size);
    }

    /// <summary>The proof that the tree of <paramref name="oldSize"/> leaves is a prefix of the tree of <paramref name="newSize"/> (RFC 6962 PROOF).</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long oldSize, long newSize)
    {
        RequireSize(leafHashes, newSize);
        return ConsistencyProof(Over(leafHashes), oldSize, newSize);
    }

    /// <summary>
    /// The same three, over <paramref name="subtree"/>(start, count): the hash of the leaves
    /// [start, start + count), for a log that keeps the hashes of whole subtrees rather than every
    /// leaf (<see cref="MerkleLogHashes"/>).
    /// </summary>
    public static byte[] Root(Func<long, long, byte[]> subtree, long size)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), $"a tree cannot have {size} leaves.");
        return size == 0 ? SHA256.HashData(ReadOnlySpan<byte>.Empty) : subtree(0, size);
    }

    public static IReadOnlyList<byte[]> InclusionProof(Func<long, long, byte[]> subtree, long index, long size)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {size}.");
        var proof = new List<byte[]>();
        Path(subtree, index, 0, size, proof);
        return proof;
    }

    public static IReadOnlyList<byte[]> ConsistencyProof(Func<long, long, byte[]> subtree, long oldSize, long newSize)
    {
        if (oldSize < 0 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize), $"{oldSize} is not between 0 and {newSize}.");
        var proof = new List<byte[]>();
        if (oldSize == 0 || oldSize == newSize) return proof;
        SubProof(subtree, oldSize, 0, newSize, true, proof);
        return proof;
    }

    /// <summary>
    /// The hash of <paramref name="count"/> consecutive hashes taken as the leaves of a tree: with
    /// leaf hashes, MTH of those leaves; with the roots of equal, aligned, power-of-two subtrees, the
    /// root of the subtree they make up.
    /// </summary>
    public static byte[] Subtree(IReadOnlyList<byte[]> hashes, long start, long count)
    {
        if (count == 1) return hashes[(int)start];
        var k = SplitPoint(count);
        return NodeHash(Subtree(hashes, start, k), Subtree(hashes, start + k, count - k));
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    public static long SplitPoint(long n)
    {
        long k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }

    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="proof"/> lead from the leaf to <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || proof.Any(p => p.Length != HashSize)) return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 §2.1.4.2: is the tree with <paramref name="oldRoot"/> a prefix of the one with <paramref name="newRoot"/>?</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot)
    {
        if (oldSize < 0 || oldSize > newSize || proof.Any(p => p.Length != HashSize)) return false;
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        if (oldSize == 0) return proof.Count == 0;
        var path = proof.ToList();
        if (path.Count == 0) return false;
        // When the old size is a power of two, the old root is the first node of the path.
        if ((oldSize & (oldSize - 1)) == 0) path.Insert(0, oldRoot.ToArray());
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = NodeHash(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    private static Func<long, long, byte[]> Over(IReadOnlyList<byte[]> leaves) => (start, count) => Subtree(leaves, start, count);

    private static void Path(Func<long, long, byte[]> subtree, long index, long start, long count, List<byte[]> proof)
    {
        if (count == 1) return;
        var k = SplitPoint(count);
        if (index < k)
        {
            Path(subtree, index, start, k, proof);
            proof.Add(subtree(start + k, count - k));
        }
        else
        {
            Path(subtree, index - k, start + k, count - k, proof);
            proof.Add(subtree(start, k));
        }
    }

    private static void SubProof(Func<long, long, byte[]> subtree, long m, long start, long count, bool whole, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!whole) proof.Add(subtree(start, count));
            return;
        }
        var k = SplitPoint(count);
        if (m <= k)
        {
            SubProof(subtree, m, start, k, whole, proof);
            proof.Add(subtree(start + k, count - k));
        }
        else
        {
            SubProof(subtree, m - k, start + k, count - k, false, proof);
            proof.Add(subtree(start, k));
        }
    }

    private static void RequireSize(IReadOnlyList<byte[]> leafHashes, long size)
    {
        if (size < 0 || size > leafHashes.Count) throw new ArgumentOutOfRangeException(nameof(size), $"the log has {leafHashes.Count} leaves, not {size}.");
    }
}
