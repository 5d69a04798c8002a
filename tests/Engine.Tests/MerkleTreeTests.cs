using System.Security.Cryptography;
using System.Text;
using RadMah.Engine.Transparency;

namespace RadMah.Engine.Tests;

/// <summary>The log's tree hashes and proofs against a naive recomputation straight from RFC 6962's definitions.</summary>
public class MerkleTreeTests
{
    private static List<byte[]> Leaves(int n) => Enumerable.Range(0, n).Select(i => MerkleTree.LeafHash(Encoding.UTF8.GetBytes($"entry {i}"))).ToList();

    /// <summary>MTH from RFC 6962 §2.1, written out as literally as possible.</summary>
    private static byte[] NaiveRoot(List<byte[]> leaves)
    {
        if (leaves.Count == 0) return SHA256.HashData([]);
        if (leaves.Count == 1) return leaves[0];
        var k = 1;
        while (k * 2 < leaves.Count) k *= 2;
        return SHA256.HashData([0x01, .. NaiveRoot(leaves[..k]), .. NaiveRoot(leaves[k..])]);
    }

    [Fact]
    public void Leaf_and_node_hashes_carry_the_domain_separation_bytes()
    {
        Assert.Equal(SHA256.HashData([0x00, 0x61]), MerkleTree.LeafHash("a"u8));
        var l = SHA256.HashData("l"u8);
        var r = SHA256.HashData("r"u8);
        Assert.Equal(SHA256.HashData([0x01, .. l, .. r]), MerkleTree.NodeHash(l, r));
        // RFC 6962: the empty tree's hash is SHA-256 of the empty string.
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.Root([], 0)));
    }

    [Fact]
    public void Roots_of_1_to_64_leaves_match_the_naive_definition()
    {
        var leaves = Leaves(64);
        for (var n = 1; n <= 64; n++)
            Assert.Equal(NaiveRoot(leaves[..n]), MerkleTree.Root(leaves, n));
    }

    [Fact]
    public void Every_inclusion_proof_in_trees_of_1_to_64_leaves_verifies_and_a_wrong_one_does_not()
    {
        var leaves = Leaves(64);
        for (var n = 1; n <= 64; n++)
        {
            var root = NaiveRoot(leaves[..n]);
            for (var i = 0; i < n; i++)
            {
                var proof = MerkleTree.InclusionProof(leaves, i, n);
                Assert.True(MerkleTree.VerifyInclusion(leaves[i], i, n, proof, root), $"leaf {i} of {n}");
                Assert.False(MerkleTree.VerifyInclusion(leaves[(i + 1) % 64], i, n, proof, root), $"wrong leaf {i} of {n}");
                if (n > 1) Assert.False(MerkleTree.VerifyInclusion(leaves[i], (i + 1) % n, n, proof, root), $"wrong index {i} of {n}");
                if (proof.Count > 0)
                {
                    var bent = proof.Select(p => p.ToArray()).ToList();
                    bent[^1][0] ^= 1;
                    Assert.False(MerkleTree.VerifyInclusion(leaves[i], i, n, bent, root), $"flipped proof {i} of {n}");
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_between_trees_of_up_to_64_leaves_verifies_and_a_forked_one_does_not()
    {
        var leaves = Leaves(64);
        var forked = Leaves(64);
        for (var n = 1; n <= 64; n++)
        {
            var newRoot = NaiveRoot(leaves[..n]);
            for (var m = 1; m <= n; m++)
            {
                var oldRoot = NaiveRoot(leaves[..m]);
                var proof = MerkleTree.ConsistencyProof(leaves, m, n);
                Assert.True(MerkleTree.VerifyConsistency(m, n, proof, oldRoot, newRoot), $"{m} → {n}");
                if (m < n)
                {
                    // A log that rewrote its first leaf cannot prove it extends the old tree.
                    forked[0] = MerkleTree.LeafHash("rewritten"u8);
                    Assert.False(MerkleTree.VerifyConsistency(m, n, proof, NaiveRoot(forked[..m]), newRoot), $"fork {m} → {n}");
                    forked[0] = leaves[0];
                    // Nor can a proof for one new tree vouch for a different one.
                    var otherNew = leaves[..(n - 1)].Append(MerkleTree.LeafHash("other last leaf"u8)).ToList();
                    Assert.False(MerkleTree.VerifyConsistency(m, n, proof, oldRoot, NaiveRoot(otherNew)), $"other new tree {m} → {n}");
                }
            }
        }
    }

    [Fact]
    public void Proofs_refuse_sizes_outside_the_log()
    {
        var leaves = Leaves(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.InclusionProof(leaves, 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.Root(leaves, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.ConsistencyProof(leaves, 3, 2));
        Assert.False(MerkleTree.VerifyInclusion(leaves[0], 0, 0, [], leaves[0]));
    }
}
