namespace RadMah.Grains.Interfaces.Credits;

/// <summary>
/// One account's credits, keyed by account id. Credits are held at submission, captured as exactly
/// one debit when the job succeeds and released when it fails or is canceled. Capture and release
/// are idempotent by job id, so retries never charge twice.
/// </summary>
public interface ICreditLedgerGrain : IGrainWithStringKey
{
    Task<LedgerBalance> GetBalanceAsync();

    /// <summary>Adds credits (starting credits, top-ups). Amount must be positive.</summary>
    Task<LedgerBalance> DepositAsync(decimal amount, string reason);

    /// <summary>Reserves <paramref name="amount"/> for a job; insufficient_credits when available is lower. Holding again for the same job is a no-op.</summary>
    Task<LedgerBalance> HoldAsync(string jobId, decimal amount);

    /// <summary>Turns the job's hold into one debit entry and returns the amount charged. Repeated calls return the same amount and add nothing.</summary>
    Task<decimal> CaptureAsync(string jobId);

    /// <summary>Drops the job's hold without charging. Repeated calls, or calls after a capture, change nothing.</summary>
    Task ReleaseAsync(string jobId);

    Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync();

    /// <summary>Reads the ledger again from the platform records (after an account was opened there with its starting credits).</summary>
    Task ReloadAsync();
}
