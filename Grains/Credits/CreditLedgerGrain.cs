using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Records;

namespace RadMah.Grains.Credits;

/// <summary>
/// Holds at submission, one debit on success, release otherwise; every movement is an entry
/// appended to the account's ledger in the platform records. The grain is the ledger's single
/// writer and keeps a fold of it in memory; an entry counts only once the records accepted it, and
/// the records' constraints refuse a second hold, debit or release for the same job whatever happens here.
/// </summary>
public sealed class CreditLedgerGrain(IPlatformRecords records) : Grain, ICreditLedgerGrain
{
    private LedgerFold _ledger = new([]);

    private string AccountId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ReloadAsync();

    public async Task ReloadAsync() => _ledger = new LedgerFold(await records.ReadLedgerAsync(AccountId));

    public Task<LedgerBalance> GetBalanceAsync() => Task.FromResult(_ledger.Balance());

    public async Task<LedgerBalance> DepositAsync(decimal amount, string reason)
    {
        if (amount <= 0) throw new RadMahException(RadMahException.InvalidArgument, $"a deposit must be positive; got {amount}.", "amount");
        if (decimal.Round(amount, 6) != amount) throw new RadMahException(RadMahException.InvalidArgument, "credits have at most 6 decimals.", "amount");
        // Not idempotent by nature (two top-ups are two deposits), so a conflict is not retried.
        await AppendAsync(LedgerEntryKind.Deposit, amount, null, string.IsNullOrWhiteSpace(reason) ? "deposit" : reason);
        return _ledger.Balance();
    }

    public Task<LedgerBalance> HoldAsync(string jobId, decimal amount)
    {
        RequireJobId(jobId);
        if (amount < 0) throw new RadMahException(RadMahException.InvalidArgument, "a hold cannot be negative.", "amount");
        return RetriedOnConflictAsync(async () =>
        {
            if (_ledger.Holds.TryGetValue(jobId, out var existing))
            {
                if (existing == amount) return _ledger.Balance();
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} already holds {existing} credits.");
            }
            if (_ledger.Settled.ContainsKey(jobId)) throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} was already settled.");
            var available = _ledger.Balance().Available;
            if (amount > available)
                throw new RadMahException(RadMahException.InsufficientCredits, $"the job needs {amount} credits but only {available} are available.", "rows");
            await AppendAsync(LedgerEntryKind.Hold, amount, jobId, "held at submission");
            return _ledger.Balance();
        });
    }

    public Task<decimal> CaptureAsync(string jobId)
    {
        RequireJobId(jobId);
        return RetriedOnConflictAsync(async () =>
        {
            if (_ledger.Settled.TryGetValue(jobId, out var settled))
            {
                if (settled is { } charged) return charged;
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId}'s hold was released; it cannot be captured.");
            }
            if (!_ledger.Holds.TryGetValue(jobId, out var amount))
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} holds no credits.");
            await AppendAsync(LedgerEntryKind.Debit, amount, jobId, "captured on success");
            return amount;
        });
    }

    public Task ReleaseAsync(string jobId)
    {
        RequireJobId(jobId);
        return RetriedOnConflictAsync(async () =>
        {
            if (_ledger.Settled.ContainsKey(jobId) || !_ledger.Holds.TryGetValue(jobId, out var amount)) return true;
            await AppendAsync(LedgerEntryKind.Release, amount, jobId, "released: job did not succeed");
            return true;
        });
    }

    public Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync() => Task.FromResult<IReadOnlyList<LedgerEntry>>(_ledger.Entries.ToArray());

    private async Task AppendAsync(LedgerEntryKind kind, decimal amount, string? jobId, string reason)
    {
        var entry = new LedgerEntry(_ledger.Entries.Count + 1, kind, amount, jobId, reason, DateTime.UtcNow);
        try
        {
            await records.AppendLedgerAsync(AccountId, entry);
        }
        catch (DuplicateRecordException)
        {
            // The records hold entries this activation has not seen: start again from them.
            await ReloadAsync();
            throw;
        }
        _ledger.Apply(entry);
    }

    /// <summary>
    /// Runs an idempotent operation; if the records refuse its entry as a duplicate, the ledger
    /// changed behind this activation's back (an earlier write that did commit although its reply
    /// was lost, or another activation). AppendAsync has read it again; the operation is decided afresh.
    /// </summary>
    private async Task<T> RetriedOnConflictAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (DuplicateRecordException)
        {
            return await operation();
        }
    }

    private static void RequireJobId(string jobId)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id.", "job_id");
    }
}
