using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Credits;

/// <summary>Holds at submission, one debit on success, release otherwise; every movement is an appended entry.</summary>
public sealed class CreditLedgerGrain(
    [PersistentState("ledger", RadMahStorage.Name)] IPersistentState<CreditLedgerState> state) : Grain, ICreditLedgerGrain
{
    private CreditLedgerState S => state.State;

    public Task<LedgerBalance> GetBalanceAsync() => Task.FromResult(Balance());

    public async Task<LedgerBalance> DepositAsync(decimal amount, string reason)
    {
        if (amount <= 0) throw new RadMahException(RadMahException.InvalidArgument, $"a deposit must be positive; got {amount}.", "amount");
        if (decimal.Round(amount, 6) != amount) throw new RadMahException(RadMahException.InvalidArgument, "credits have at most 6 decimals.", "amount");
        S.Balance += amount;
        Append(LedgerEntryKind.Deposit, amount, null, string.IsNullOrWhiteSpace(reason) ? "deposit" : reason);
        await state.WriteOrForgetAsync(this);
        return Balance();
    }

    public async Task<LedgerBalance> HoldAsync(string jobId, decimal amount)
    {
        RequireJobId(jobId);
        if (amount < 0) throw new RadMahException(RadMahException.InvalidArgument, "a hold cannot be negative.", "amount");
        if (S.Holds.TryGetValue(jobId, out var existing))
        {
            if (existing == amount) return Balance();
            throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} already holds {existing} credits.");
        }
        if (S.Settled.ContainsKey(jobId)) throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} was already settled.");
        var available = Balance().Available;
        if (amount > available)
            throw new RadMahException(RadMahException.InsufficientCredits, $"the job needs {amount} credits but only {available} are available.", "rows");
        S.Holds[jobId] = amount;
        Append(LedgerEntryKind.Hold, amount, jobId, "held at submission");
        await state.WriteOrForgetAsync(this);
        return Balance();
    }

    public async Task<decimal> CaptureAsync(string jobId)
    {
        RequireJobId(jobId);
        if (S.Settled.TryGetValue(jobId, out var settled))
        {
            if (settled is { } charged) return charged;
            throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId}'s hold was released; it cannot be captured.");
        }
        if (!S.Holds.Remove(jobId, out var amount))
            throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} holds no credits.");
        S.Balance -= amount;
        S.Settled[jobId] = amount;
        Append(LedgerEntryKind.Debit, amount, jobId, "captured on success");
        await state.WriteOrForgetAsync(this);
        return amount;
    }

    public async Task ReleaseAsync(string jobId)
    {
        RequireJobId(jobId);
        if (S.Settled.ContainsKey(jobId) || !S.Holds.Remove(jobId, out var amount)) return;
        S.Settled[jobId] = null;
        Append(LedgerEntryKind.Release, amount, jobId, "released: job did not succeed");
        await state.WriteOrForgetAsync(this);
    }

    public Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync() => Task.FromResult<IReadOnlyList<LedgerEntry>>(S.Entries.ToArray());

    private LedgerBalance Balance() => new(S.Balance, S.Holds.Values.Sum());

    private void Append(LedgerEntryKind kind, decimal amount, string? jobId, string reason) =>
        S.Entries.Add(new LedgerEntry(S.Entries.Count + 1, kind, amount, jobId, reason, DateTime.UtcNow));

    private static void RequireJobId(string jobId)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id.", "job_id");
    }
}
