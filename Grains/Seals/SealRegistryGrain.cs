using RadMah.Engine.Transparency;
using RadMah.Grains.Evidence;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Records;

namespace RadMah.Grains.Seals;

/// <summary>
/// The single writer of the seal registry: an append-only Merkle log (RFC 6962/9162) kept in the
/// platform records, one leaf per succeeded job. One seal per job, whatever the retries: the
/// records refuse a second seal for a job and a second seal at an index. On activation the tree is
/// recomputed from the stored entries and checked against every stored leaf hash and the latest
/// published checkpoint, so a log that was altered or forked refuses to serve rather than lie.
/// </summary>
public sealed class SealRegistryGrain(IPlatformRecords records, EvidenceSigner signer) : Grain, ISealRegistryGrain
{
    private readonly List<SealRecord> _seals = [];
    private readonly List<byte[]> _leaves = [];
    private readonly Dictionary<string, SealRecord> _byJob = new(StringComparer.Ordinal);
    private CheckpointView? _checkpoint;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<SealRecord> AppendAsync(SealRecord seal)
    {
        if (!Ids.LooksLikeJobId(seal.JobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{seal.JobId}' is not a job id.", "job_id");
        if (string.IsNullOrEmpty(seal.ContractDigest)) throw new RadMahException(RadMahException.InvalidArgument, "a seal needs a contract digest.", "contract_digest");
        if (!seal.EvidenceDigest.StartsWith("sha256:", StringComparison.Ordinal)) throw new RadMahException(RadMahException.InvalidArgument, "a seal needs its evidence bundle's digest.", "evidence_digest");
        // The log keeps microseconds, like PostgreSQL: the entry must say exactly what is stored.
        var sealedAt = new DateTime(seal.SealedAt.Ticks - seal.SealedAt.Ticks % 10, DateTimeKind.Utc);
        var entry = SealEntry.Build(seal.JobId, seal.Kind, seal.ContractDigest, seal.Seed,
            seal.Artifacts.Select(a => new SealEntryArtifact(a.Name, a.ArtifactType, a.ContentHash)).ToArray(), seal.EvidenceDigest, sealedAt);
        var leaf = MerkleTree.LeafHash(entry);
        for (var attempt = 0; ; attempt++)
        {
            if (_byJob.TryGetValue(seal.JobId, out var existing)) return existing;
            var appended = seal with { Index = _seals.Count, SealedAt = sealedAt, Entry = entry, LeafHash = leaf };
            try
            {
                await records.AppendSealAsync(appended);
            }
            catch (DuplicateRecordException) when (attempt == 0)
            {
                // The registry grew behind this activation (a write whose reply was lost, or another
                // activation): read it again, then either the job is sealed or the next index is free.
                await ReloadAsync(CancellationToken.None);
                continue;
            }
            Add(appended);
            return appended;
        }
    }

    public Task<SealRecord?> FindAsync(string jobId) => Task.FromResult(_byJob.GetValueOrDefault(jobId));

    public Task<long> CountAsync() => Task.FromResult((long)_seals.Count);

    public Task<IReadOnlyList<SealRecord>> ListAsync(long fromIndex, int count)
    {
        if (fromIndex < 0 || count < 0) throw new RadMahException(RadMahException.InvalidArgument, "fromIndex and count must not be negative.");
        return Task.FromResult<IReadOnlyList<SealRecord>>(_seals.Skip((int)Math.Min(fromIndex, int.MaxValue)).Take(count).ToArray());
    }

    public async Task<SealProofView> GetProofAsync(string jobId)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id.", "job_id");
        if (!_byJob.TryGetValue(jobId, out var seal)) throw new RadMahException(RadMahException.NotFound, $"job {jobId} has no seal.", "job_id");
        var checkpoint = await GetCheckpointAsync();
        return new SealProofView(jobId, seal.Index, checkpoint.TreeSize, System.Text.Encoding.UTF8.GetString(seal.Entry), seal.LeafHash,
            MerkleTree.InclusionProof(_leaves, seal.Index, checkpoint.TreeSize), checkpoint.SignedNote);
    }

    public async Task<CheckpointView> GetCheckpointAsync()
    {
        if (_checkpoint is { } current && current.TreeSize == _seals.Count) return current;
        var root = MerkleTree.Root(_leaves, _seals.Count);
        var key = await signer.KeyAsync();
        var signed = new CheckpointView(_seals.Count, root, new Checkpoint(signer.LogOrigin, _seals.Count, root).Sign(key));
        try
        {
            await records.AddCheckpointAsync(signed);
        }
        catch (DuplicateRecordException)
        {
            // Published meanwhile by another activation (right after a silo died there can briefly be
            // two). Read the log again: the reload checks the stored seals against the latest
            // published checkpoint and refuses a fork; then answer from what is stored.
            await ReloadAsync(CancellationToken.None);
            if (_checkpoint is { } published && published.TreeSize == _seals.Count) return published;
            // The log grew meanwhile: publish the checkpoint of what is stored now.
            return await GetCheckpointAsync();
        }
        _checkpoint = signed;
        return signed;
    }

    public Task<ConsistencyView> GetConsistencyAsync(long fromSize, long toSize)
    {
        if (fromSize < 0 || toSize < fromSize || toSize > _seals.Count)
            throw new RadMahException(RadMahException.InvalidArgument, $"from and to must satisfy 0 ≤ from ≤ to ≤ {_seals.Count} (the log's size); got from={fromSize}, to={toSize}.", fromSize < 0 || toSize < fromSize ? "from" : "to");
        return Task.FromResult(new ConsistencyView(fromSize, toSize, MerkleTree.Root(_leaves, fromSize), MerkleTree.Root(_leaves, toSize),
            MerkleTree.ConsistencyProof(_leaves, fromSize, toSize)));
    }

    public async Task<IReadOnlyList<PublicKeyView>> GetPublicKeysAsync()
    {
        await signer.KeyAsync();
        return await records.ListSigningKeysAsync();
    }

    private void Add(SealRecord seal)
    {
        _seals.Add(seal);
        _leaves.Add(seal.LeafHash);
        _byJob[seal.JobId] = seal;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var seals = await records.ReadSealsAsync(cancellationToken);
        for (var i = 0; i < seals.Count; i++)
        {
            if (seals[i].Index != i) throw new InvalidDataException($"the seal log has a gap: seal {seals[i].Index} is at position {i}.");
            if (!MerkleTree.LeafHash(seals[i].Entry).AsSpan().SequenceEqual(seals[i].LeafHash))
                throw new InvalidDataException($"seal {i} ({seals[i].JobId}): the stored entry does not hash to the stored leaf hash.");
        }
        _seals.Clear();
        _leaves.Clear();
        _byJob.Clear();
        foreach (var seal in seals) Add(seal);
        var published = await records.LatestCheckpointAsync(cancellationToken);
        if (published is not null)
        {
            if (published.TreeSize > _seals.Count)
                throw new InvalidDataException($"the seal log lost entries: checkpoint {published.TreeSize} was published but only {_seals.Count} seals are stored.");
            if (!MerkleTree.Root(_leaves, published.TreeSize).AsSpan().SequenceEqual(published.RootHash))
                throw new InvalidDataException($"the seal log has forked: the stored seals do not give the root published for size {published.TreeSize}.");
        }
        _checkpoint = published;
    }
}
