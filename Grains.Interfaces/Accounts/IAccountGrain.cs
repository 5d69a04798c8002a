namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>
/// An account, keyed by account id: its plan and its credits. Its keys, jobs and datasets have
/// grains of their own under the same key (<see cref="IAccountKeysGrain"/>,
/// <see cref="Submission.IAccountJobsGrain"/>, <see cref="Datasets.IAccountDatasetsGrain"/>).
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account with a plan and starting credits; failed_precondition if it exists. Test accounts get sl_test_ keys.</summary>
    Task<AccountView> CreateAsync(string plan, decimal startingCredits, bool testAccount = false);

    /// <summary>Creates the account unless it exists; returns it either way.</summary>
    Task<AccountView> EnsureCreatedAsync(string plan, decimal startingCredits, bool testAccount = false);

    /// <summary>Adds credits to the account's ledger.</summary>
    Task<AccountView> TopUpAsync(decimal credits);

    Task<AccountView> GetAsync();
}
