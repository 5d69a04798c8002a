using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>
/// An account, keyed by account id: its plan and its jobs. Job submission goes through here:
/// validate → seal the contract → hold credits → create the job → queue it. A refused submission
/// creates nothing and holds nothing.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account with a plan and starting credits; failed_precondition if it exists. Test accounts get sl_test_ keys.</summary>
    Task<AccountView> CreateAsync(string plan, decimal startingCredits, bool testAccount = false);

    /// <summary>Creates the account unless it exists; returns it either way.</summary>
    Task<AccountView> EnsureCreatedAsync(string plan, decimal startingCredits, bool testAccount = false);

    /// <summary>Adds credits to the account's ledger.</summary>
    Task<AccountView> TopUpAsync(decimal credits);

    /// <summary>A new API key for this account; the key itself is returned only here.</summary>
    Task<CreatedApiKey> CreateApiKeyAsync();

    /// <summary>Revokes one of the account's keys by its key id (key_…); not_found if it has no such key.</summary>
    Task RevokeApiKeyAsync(string keyId);

    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync();

    Task<AccountView> GetAsync();

    Task<JobView> CreateJobAsync(JobSubmission submission);

    /// <summary>A new job from the original's sealed contract and seed; its outputs equal the original's byte for byte.</summary>
    Task<JobView> RerunJobAsync(string jobId);

    Task<JobPage> ListJobsAsync(int limit, string? pageToken);

    /// <summary>
    /// Records an upload whose bytes the store already holds under its digest: the dataset and its
    /// artifact, in one write. Repeating the same record changes nothing.
    /// </summary>
    Task<DatasetRecord> AddDatasetAsync(DatasetRecord dataset);

    /// <summary>The account's datasets, newest first.</summary>
    Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync();

    /// <summary>One of the account's datasets; not_found for another account's, exactly as for none.</summary>
    Task<DatasetRecord> GetDatasetAsync(string datasetId);

    /// <summary>True when the job belongs to this account. (The gateway checks ownership from the job's own view, one call fewer.)</summary>
    Task<bool> OwnsJobAsync(string jobId);
}
