using RadMah.Engine.Transparency;

namespace RadMah.Engine.Tests;

public sealed class MerkleLogHashesTests
{
    private static byte[] Leaf(int i) => MerkleTree.LeafHash(BitConverter.GetBytes(i));

    /// <summary>Answers with the log, reading complete blocks from <paramref name="all"/> when asked, as the seal registry reads them from the records.</summary>
    private static T WithLeaves<T>(MerkleLogHashes log, List<byte[]> all, Func<T> answer, ref int reads)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return answer();
            }
            catch (LeavesNeededException needed) when (attempt < 4)
            {
                reads++;
                log.Supply(needed.Block, all.GetRange((int)needed.FirstIndex, needed.Count));
            }
        }
    }

    [Fact]
    public void Roots_and_proofs_equal_those_of_the_whole_list_of_leaves()
    {
        var leaves = Enumerable.Range(0, 5000).Select(Leaf).ToList();
        var log = new MerkleLogHashes();
        foreach (var leaf in leaves) log.Append(leaf);
        var random = new Random(11);
        var sizes = new long[] { 1, 2, 3, 1023, 1024, 1025, 2048, 3071, 4096, 4999, 5000 }.Concat(Enumerable.Range(0, 30).Select(_ => (long)random.Next(1, 5001)));
        var reads = 0;
        foreach (var size in sizes)
        {
            Assert.Equal(MerkleTree.Root(leaves, size), WithLeaves(log, leaves, () => log.Root(size), ref reads));
            var index = random.NextInt64(size);
            Assert.Equal(MerkleTree.InclusionProof(leaves, index, size), WithLeaves(log, leaves, () => log.InclusionProof(index, size), ref reads));
            var older = random.NextInt64(size + 1);
            Assert.Equal(MerkleTree.ConsistencyProof(leaves, older, 5000), WithLeaves(log, leaves, () => log.ConsistencyProof(older, 5000), ref reads));
        }
        Assert.True(reads > 0);
    }

    [Fact]
    public void The_root_of_the_whole_log_needs_no_leaf_read_back()
    {
        var log = new MerkleLogHashes();
        var leaves = new List<byte[]>();
        for (var i = 0; i < 3000; i++)
        {
            leaves.Add(Leaf(i));
            log.Append(leaves[^1]);
            if (i % 97 == 0) Assert.Equal(MerkleTree.Root(leaves, leaves.Count), log.Root(log.Size));
        }
        Assert.Equal(3000, log.Size);
    }

    [Fact]
    public void Leaves_that_do_not_give_their_blocks_root_are_refused()
    {
        var leaves = Enumerable.Range(0, 2100).Select(Leaf).ToList();
        var log = new MerkleLogHashes();
        foreach (var leaf in leaves) log.Append(leaf);
        var needed = Assert.Throws<LeavesNeededException>(() => log.InclusionProof(5, 2100));
        Assert.Equal((0, 0, 1024), (needed.Block, needed.FirstIndex, needed.Count));
        var altered = leaves.GetRange(0, 1024);
        altered[17] = Leaf(-1);
        Assert.Throws<InvalidDataException>(() => log.Supply(0, altered));
        Assert.Throws<LeavesNeededException>(() => log.InclusionProof(5, 2100));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Supply(2, leaves.GetRange(0, 1024)));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Root(2101));
    }
}
