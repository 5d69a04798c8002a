using System.Collections.Concurrent;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Records;

/// <summary>
/// The embedded default's system of record, in this process's memory and gone when it ends. One
/// instance per service id, shared by every silo of that service in the process, and it refuses
/// exactly what the PostgreSQL tables refuse (same rule names), so grains behave the same on both.
/// </summary>
public sealed class InMemoryPlatformRecords : IPlatformRecords
{
    private static readonly ConcurrentDictionary<string, InMemoryPlatformRecords> ByService = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AccountRow> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyRow> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LedgerEntry>> _ledgers = new(StringComparer.Ordinal);
    private readonly HashSet<(string AccountId, long Sequence)> _ledgerSequences = [];
    private readonly HashSet<(string JobId, LedgerEntryKind Kind)> _jobEntries = [];
    private readonly Dictionary<string, (string AccountId, LedgerEntry Entry)> _holds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);
    private readonly List<SealRecord> _seals = [];
    private readonly Dictionary<string, int> _sealIndexByJob = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, CheckpointView> _checkpoints = [];
    private readonly Dictionary<string, PublicKeyView> _signingKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArtifactRecord> _artifacts = new(StringComparer.Ordinal);
    private readonly HashSet<(string JobId, string Name)> _artifactNames = [];
    private readonly Dictionary<string, DatasetRecord> _datasets = new(StringComparer.Ordinal);
    private readonly Dictionary<(string AccountId, string Key), IdempotencyClaim> _idempotencyKeys = [];

    private InMemoryPlatformRecords()
    {
    }

    /// <summary>The store of <paramref name="serviceId"/> in this process.</summary>
    public static InMemoryPlatformRecords ForService(string serviceId) => ByService.GetOrAdd(serviceId, _ => new InMemoryPlatformRecords());

    public Task<AccountRow?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_accounts.GetValueOrDefault(accountId));
    }

    public Task CreateAccountAsync(AccountRow account, LedgerEntry? startingDeposit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_accounts.ContainsKey(account.AccountId)) throw new DuplicateRecordException("pk_radmah_accounts");
            if (startingDeposit is not null) CheckLedgerEntry(account.AccountId, startingDeposit);
            _accounts[account.AccountId] = account;
            if (startingDeposit is not null) AddLedgerEntry(account.AccountId, startingDeposit);
        }
        return Task.CompletedTask;
    }

    public Task AddApiKeyAsync(ApiKeyRow key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_keys.ContainsKey(key.KeyHash)) throw new DuplicateRecordException("pk_radmah_api_keys");
            if (!_accounts.ContainsKey(key.AccountId)) throw new RecordRuleException("fk_radmah_api_keys_account");
            _keys[key.KeyHash] = key;
        }
        return Task.CompletedTask;
    }

    public Task<ApiKeyRow?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_keys.GetValueOrDefault(keyHash));
    }

    public Task<IReadOnlyList<ApiKeyRow>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<ApiKeyRow>>(_keys.Values.Where(k => k.AccountId == accountId).OrderBy(k => k.CreatedAt).ToArray());
    }

    public Task<bool> RevokeApiKeyAsync(string keyHash, DateTime revokedAt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(keyHash, out var key)) return Task.FromResult(false);
            if (key.RevokedAt is null) _keys[keyHash] = key with { RevokedAt = revokedAt };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<LedgerEntry>>(_ledgers.TryGetValue(accountId, out var entries) ? entries.ToArray() : []);
    }

    public Task<LedgerSummary> ReadLedgerSummaryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = _ledgers.TryGetValue(accountId, out var found) ? found : [];
            var settled = entries.Where(e => e.Kind is LedgerEntryKind.Debit or LedgerEntryKind.Release).Select(e => e.JobId!).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(new LedgerSummary(entries.Count == 0 ? 0 : entries.Max(e => e.Sequence),
                entries.Sum(e => e.Kind switch { LedgerEntryKind.Deposit => e.Amount, LedgerEntryKind.Debit => -e.Amount, _ => 0m }),
                entries.Where(e => e.Kind == LedgerEntryKind.Hold && !settled.Contains(e.JobId!)).OrderBy(e => e.Sequence).ToArray()));
        }
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadJobLedgerAsync(string accountId, string jobId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<LedgerEntry>>(_ledgers.TryGetValue(accountId, out var entries) ? entries.Where(e => e.JobId == jobId).OrderBy(e => e.Sequence).ToArray() : []);
    }

    public Task AppendLedgerAsync(string accountId, LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            CheckLedgerEntry(accountId, entry);
            AddLedgerEntry(accountId, entry);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SealRecord>> ReadSealsAsync(long fromIndex, int count, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<SealRecord>>(_seals.Skip((int)Math.Min(fromIndex, int.MaxValue)).Take(count).ToArray());
    }

    public Task<SealRecord?> FindSealAsync(string jobId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_sealIndexByJob.TryGetValue(jobId, out var index) ? _seals[index] : null);
    }

    public Task AppendSealAsync(SealRecord seal, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (seal.Index < _seals.Count) throw new DuplicateRecordException("pk_radmah_seals");
            if (seal.LeafHash.Length != 32 || seal.Entry.Length == 0) throw new RecordRuleException("radmah_seals checks");
            if (_sealIndexByJob.ContainsKey(seal.JobId)) throw new DuplicateRecordException("ux_radmah_seals_job");
            // PostgreSQL would accept a gap; nothing here writes one, and a dense list keeps index = position.
            if (seal.Index != _seals.Count) throw new RecordRuleException("dense seal indexes");
            _seals.Add(seal);
            _sealIndexByJob.Add(seal.JobId, _seals.Count - 1);
        }
        return Task.CompletedTask;
    }

    public Task<CheckpointView?> LatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_checkpoints.Count == 0 ? null : _checkpoints.Last().Value);
    }

    public Task AddCheckpointAsync(CheckpointView checkpoint, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_checkpoints.TryAdd(checkpoint.TreeSize, checkpoint)) throw new DuplicateRecordException("pk_radmah_seal_checkpoints");
        }
        return Task.CompletedTask;
    }

    public Task AddSigningKeyAsync(PublicKeyView key, CancellationToken cancellationToken = default)
    {
        lock (_gate) _signingKeys.TryAdd(key.KeyId, key);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PublicKeyView>> ListSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<PublicKeyView>>(_signingKeys.Values.OrderBy(k => k.CreatedAt).ToArray());
    }

    public Task<ArtifactRecord?> FindArtifactAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_artifacts.GetValueOrDefault(artifactId));
    }

    public Task AddArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            CheckArtifact(artifact);
            AddArtifact(artifact);
        }
        return Task.CompletedTask;
    }

    /// <summary>The rules of radmah_artifacts (caller holds the lock).</summary>
    private void CheckArtifact(ArtifactRecord artifact)
    {
        if (_artifacts.ContainsKey(artifact.Id)) throw new DuplicateRecordException("pk_radmah_artifacts");
        if (_artifactNames.Contains((artifact.JobId, artifact.Name))) throw new DuplicateRecordException("ux_radmah_artifacts_job_name");
        if (!_accounts.ContainsKey(artifact.AccountId)) throw new RecordRuleException("fk_radmah_artifacts_account");
    }

    private void AddArtifact(ArtifactRecord artifact)
    {
        _artifacts[artifact.Id] = artifact;
        _artifactNames.Add((artifact.JobId, artifact.Name));
    }

    public Task AddDatasetAsync(DatasetRecord dataset, ArtifactRecord artifact, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_datasets.ContainsKey(dataset.Id)) throw new DuplicateRecordException("pk_radmah_datasets");
            CheckArtifact(artifact);
            if (dataset.ArtifactId != artifact.Id) throw new RecordRuleException("fk_radmah_datasets_artifact");
            if (dataset.SizeBytes <= 0) throw new RecordRuleException("radmah_datasets_size_bytes_check");
            if (!RadMah.Engine.Datasets.DatasetFormatNames.All.Contains(dataset.Format)) throw new RecordRuleException("ck_radmah_datasets_format");
            AddArtifact(artifact);
            _datasets[dataset.Id] = dataset;
        }
        return Task.CompletedTask;
    }

    public Task<DatasetRecord?> FindDatasetAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_datasets.GetValueOrDefault(datasetId));
    }

    public Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<DatasetRecord>>(_datasets.Values.Where(d => d.AccountId == accountId)
                .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The rules of radmah_ledger_entries, in the order PostgreSQL would report them.</summary>
    private void CheckLedgerEntry(string accountId, LedgerEntry entry)
    {
        if (entry.Sequence <= 0 || entry.Amount < 0) throw new RecordRuleException("radmah_ledger_entries checks");
        if ((entry.Kind == LedgerEntryKind.Deposit) != (entry.JobId is null)) throw new RecordRuleException("ck_radmah_ledger_job");
        if (entry.Kind == LedgerEntryKind.Deposit && entry.Amount <= 0) throw new RecordRuleException("ck_radmah_ledger_deposit_positive");
        if (_ledgerSequences.Contains((accountId, entry.Sequence))) throw new DuplicateRecordException("pk_radmah_ledger_entries");
        if (entry.JobId is not { } jobId) return;
        if (_jobEntries.Contains((jobId, entry.Kind))) throw new DuplicateRecordException("ux_radmah_ledger_one_per_job_and_kind");
        if (entry.Kind is LedgerEntryKind.Debit or LedgerEntryKind.Release)
        {
            if (_settled.Contains(jobId)) throw new DuplicateRecordException("ux_radmah_ledger_one_settlement");
            if (!_holds.TryGetValue(jobId, out var held) || held.AccountId != accountId || held.Entry.Amount != entry.Amount)
                throw new RecordRuleException("fk_radmah_ledger_settles_hold");
        }
    }

    private void AddLedgerEntry(string accountId, LedgerEntry entry)
    {
        if (!_ledgers.TryGetValue(accountId, out var entries)) _ledgers[accountId] = entries = [];
        entries.Add(entry);
        _ledgerSequences.Add((accountId, entry.Sequence));
        if (entry.JobId is not { } jobId) return;
        _jobEntries.Add((jobId, entry.Kind));
        if (entry.Kind == LedgerEntryKind.Hold) _holds[jobId] = (accountId, entry);
        else _settled.Add(jobId);
    }

    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyClaim claim, DateTime expiredBefore, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_accounts.ContainsKey(claim.AccountId)) throw new RecordRuleException("fk_radmah_idempotency_keys_account");
            if (_idempotencyKeys.TryGetValue((claim.AccountId, claim.Key), out var held) && held.CreatedAt >= expiredBefore) return Task.FromResult(held);
            _idempotencyKeys[(claim.AccountId, claim.Key)] = claim;
            return Task.FromResult(claim);
        }
    }

    public Task ReleaseIdempotencyKeyAsync(string accountId, string key, string jobId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_idempotencyKeys.TryGetValue((accountId, key), out var held) && held.JobId == jobId) _idempotencyKeys.Remove((accountId, key));
        }
        return Task.CompletedTask;
    }

    public Task<int> DeleteIdempotencyKeysAsync(string accountId, DateTime before, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var expired = _idempotencyKeys.Where(p => p.Key.AccountId == accountId && p.Value.CreatedAt < before).Select(p => p.Key).ToList();
            foreach (var key in expired) _idempotencyKeys.Remove(key);
            return Task.FromResult(expired.Count);
        }
    }
}
