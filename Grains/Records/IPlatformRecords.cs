using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Seals;

namespace RadMah.Grains.Records;

/// <summary>
/// The platform's system of record for what must never be lost or doubled: accounts and API key
/// hashes, credit ledger entries, seals, artifact metadata and the idempotency keys of job creation. Grains keep these in memory as a
/// cache of what this store holds, and write here first. On PostgreSQL (deploy/sql/05-radmah-platform.sql)
/// the table constraints themselves refuse a second debit for a job, a second seal for a job or
/// a fork of the seal sequence; the in-memory store for the embedded default enforces the same rules.
/// Every method throws <see cref="DuplicateRecordException"/> when a write breaks a uniqueness rule.
/// </summary>
public interface IPlatformRecords
{
    Task<AccountRow?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Creates the account and, in the same transaction, its first ledger entry (starting credits) when given.</summary>
    Task CreateAccountAsync(AccountRow account, LedgerEntry? startingDeposit, CancellationToken cancellationToken = default);

    Task AddApiKeyAsync(ApiKeyRow key, CancellationToken cancellationToken = default);

    Task<ApiKeyRow?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRow>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked (first revocation time wins); false when no such key exists.</summary>
    Task<bool> RevokeApiKeyAsync(string keyHash, DateTime revokedAt, CancellationToken cancellationToken = default);

    /// <summary>The account's ledger in sequence order.</summary>
    Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends one entry. Refused (<see cref="DuplicateRecordException"/>) when the sequence number
    /// is taken, when the job already has an entry of that kind, when a debit or release names a
    /// job already settled, or (<see cref="RecordRuleException"/>) when a settlement does not match the job's hold.
    /// </summary>
    Task AppendLedgerAsync(string accountId, LedgerEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The account's ledger folded (<see cref="LedgerSummary"/>), without reading every entry into memory.</summary>
    Task<LedgerSummary> ReadLedgerSummaryAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>One job's entries in the account's ledger (its hold, and its debit or release), in sequence order.</summary>
    Task<IReadOnlyList<LedgerEntry>> ReadJobLedgerAsync(string accountId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>At most <paramref name="count"/> seals in index order, from index <paramref name="fromIndex"/> on.</summary>
    Task<IReadOnlyList<SealRecord>> ReadSealsAsync(long fromIndex, int count, CancellationToken cancellationToken = default);

    /// <summary>The job's seal, or null when the job has none.</summary>
    Task<SealRecord?> FindSealAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Appends a seal at its index; refused when the index or the job is already sealed.</summary>
    Task AppendSealAsync(SealRecord seal, CancellationToken cancellationToken = default);

    /// <summary>The signed checkpoint of the largest tree size published so far, or null.</summary>
    Task<CheckpointView?> LatestCheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes a checkpoint; refused when one of that size exists.</summary>
    Task AddCheckpointAsync(CheckpointView checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Publishes a signing key's public half; publishing it again changes nothing.</summary>
    Task AddSigningKeyAsync(PublicKeyView key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PublicKeyView>> ListSigningKeysAsync(CancellationToken cancellationToken = default);

    Task<ArtifactRecord?> FindArtifactAsync(string artifactId, CancellationToken cancellationToken = default);

    /// <summary>Registers an artifact; refused when its id, or its (job, name), is taken.</summary>
    Task AddArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default);

    /// <summary>Registers a job's artifacts (in one write where the store can); refused like <see cref="AddArtifactAsync"/> when one is taken.</summary>
    async Task AddArtifactsAsync(IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancellationToken = default)
    {
        foreach (var artifact in artifacts) await AddArtifactAsync(artifact, cancellationToken);
    }

    /// <summary>Registers a dataset and its artifact in one transaction; refused when the dataset id is taken.</summary>
    Task AddDatasetAsync(DatasetRecord dataset, ArtifactRecord artifact, CancellationToken cancellationToken = default);

    Task<DatasetRecord?> FindDatasetAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>An account's datasets, newest first.</summary>
    Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims an account's idempotency key for a job, atomically: the claim is stored when the key
    /// is free or its claim was made before <paramref name="expiredBefore"/>. Returns the claim in
    /// force afterwards: the one given, or the live one made earlier (which names another job).
    /// </summary>
    Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyClaim claim, DateTime expiredBefore, CancellationToken cancellationToken = default);

    /// <summary>Frees the key when its claim still names <paramref name="jobId"/> (a creation that did not happen).</summary>
    Task ReleaseIdempotencyKeyAsync(string accountId, string key, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the account's claims made before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteIdempotencyKeysAsync(string accountId, DateTime before, CancellationToken cancellationToken = default);
}
