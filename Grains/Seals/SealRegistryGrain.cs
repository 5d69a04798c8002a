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
/// Memory holds the tree's hashes (<see cref="MerkleLogHashes"/>: one per 1,024 seals, plus the
/// last seals' leaves), not the seals: those are read from the records when asked for.
/// </summary>
public sealed class SealRegistryGrain(IPlatformRecords records, EvidenceSigner signer) : Grain, ISealRegistryGrain
{
    private MerkleLogHashes _log = new();
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
            var appended = seal with { Index = _log.Size, SealedAt = sealedAt, Entry = entry, LeafHash = leaf };
            try
            {
                await records.AppendSealAsync(appended);
            }
            catch (DuplicateRecordException)
            {
                // The job is sealed already (a commit repeated after its reply was lost): that seal stands.
                if (await records.FindSealAsync(seal.JobId) is { } existing) return existing;
                if (attempt > 0) throw;
                // The registry grew behind this activation (another activation right after a silo
                // died): read it again; then the next index is free.
                await ReloadAsync(CancellationToken.None);
                continue;
            }
            _log.Append(leaf);
            return appended;
        }
    }

    public Task<SealRecord?> FindAsync(string jobId) => records.FindSealAsync(jobId);

    public Task<long> CountAsync() => Task.FromResult(_log.Size);

    public async Task<IReadOnlyList<SealRecord>> ListAsync(long fromIndex, int count)
    {
        if (fromIndex < 0 || count < 0) throw new RadMahException(RadMahException.InvalidArgument, "fromIndex and count must not be negative.");
        if (fromIndex >= _log.Size || count == 0) return [];
        return await records.ReadSealsAsync(fromIndex, (int)Math.Min(count, _log.Size - fromIndex));
    }

    public async Task<SealProofView> GetProofAsync(string jobId)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id.", "job_id");
        var seal = await records.FindSealAsync(jobId);
        if (seal is null || seal.Index >= _log.Size) throw new RadMahException(RadMahException.NotFound, $"job {jobId} has no seal.", "job_id");
        var checkpoint = await GetCheckpointAsync();
        var proof = await WithLeavesAsync(() => _log.InclusionProof(seal.Index, checkpoint.TreeSize));
        return new SealProofView(jobId, seal.Index, checkpoint.TreeSize, System.Text.Encoding.UTF8.GetString(seal.Entry), seal.LeafHash, proof, checkpoint.SignedNote);
    }

    public async Task<CheckpointView> GetCheckpointAsync()
    {
        var size = _log.Size;
        if (_checkpoint is { } current && current.TreeSize == size) return current;
        var root = _log.Root(size);
        var key = await signer.KeyAsync();
        var signed = new CheckpointView(size, root, new Checkpoint(signer.LogOrigin, size, root).Sign(key));
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
            if (_checkpoint is { } published && published.TreeSize == _log.Size) return published;
            // The log grew meanwhile: publish the checkpoint of what is stored now.
            return await GetCheckpointAsync();
        }
        _checkpoint = signed;
        return signed;
    }

    public async Task<ConsistencyView> GetConsistencyAsync(long fromSize, long toSize)
    {
        if (fromSize < 0 || toSize < fromSize || toSize > _log.Size)
            throw new RadMahException(RadMahException.InvalidArgument, $"from and to must satisfy 0 ≤ from ≤ to ≤ {_log.Size} (the log's size); got from={fromSize}, to={toSize}.", fromSize < 0 || toSize < fromSize ? "from" : "to");
        return await WithLeavesAsync(() => new ConsistencyView(fromSize, toSize, _log.Root(fromSize), _log.Root(toSize), _log.ConsistencyProof(fromSize, toSize)));
    }

    public async Task<IReadOnlyList<PublicKeyView>> GetPublicKeysAsync()
    {
        await signer.KeyAsync();
        return await records.ListSigningKeysAsync();
    }

    /// <summary>Answers from the tree's hashes, reading from the records the leaves of the (at most few) older blocks the answer needs.</summary>
    private async Task<T> WithLeavesAsync<T>(Func<T> answer)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return answer();
            }
            catch (LeavesNeededException needed) when (attempt < 8)
            {
                var seals = await records.ReadSealsAsync(needed.FirstIndex, needed.Count);
                if (seals.Count != needed.Count) throw new InvalidDataException($"the seal log lost entries: {needed.Count} seals from {needed.FirstIndex} were asked for, {seals.Count} are stored.");
                _log.Supply(needed.Block, seals.Select(s => s.LeafHash).ToArray());
            }
        }
    }

    /// <summary>
    /// Reads the whole log a page at a time, checking that indexes have no gap and every stored entry
    /// hashes to its stored leaf hash, and that the latest published checkpoint is a root of it.
    /// </summary>
    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var log = new MerkleLogHashes();
        while (true)
        {
            var page = await records.ReadSealsAsync(log.Size, MerkleLogHashes.BlockSize, cancellationToken);
            foreach (var seal in page)
            {
                if (seal.Index != log.Size) throw new InvalidDataException($"the seal log has a gap: seal {seal.Index} is at position {log.Size}.");
                if (!MerkleTree.LeafHash(seal.Entry).AsSpan().SequenceEqual(seal.LeafHash))
                    throw new InvalidDataException($"seal {seal.Index} ({seal.JobId}): the stored entry does not hash to the stored leaf hash.");
                log.Append(seal.LeafHash);
            }
            if (page.Count < MerkleLogHashes.BlockSize) break;
        }
        _log = log;
        var published = await records.LatestCheckpointAsync(cancellationToken);
        if (published is not null)
        {
            if (published.TreeSize > _log.Size)
                throw new InvalidDataException($"the seal log lost entries: checkpoint {published.TreeSize} was published but only {_log.Size} seals are stored.");
            if (!(await WithLeavesAsync(() => _log.Root(published.TreeSize))).AsSpan().SequenceEqual(published.RootHash))
                throw new InvalidDataException($"the seal log has forked: the stored seals do not give the root published for size {published.TreeSize}.");
        }
        _checkpoint = published;
    }
}
