using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Records;

namespace RadMah.Grains.Credits;

/// <summary>
/// Holds at submission, one debit on success, release otherwise; every movement is an entry
/// appended to the account's ledger in the platform records. The grain is the ledger's single
/// writer and keeps a fold of it in memory; an entry counts only once the records accepted it, and
/// the records' constraints refuse a second hold, debit or release for the same job whatever happens here.
/// While active, it sweeps its open holds (<see cref="SweepHoldsAsync"/>): the ledger is the log of
/// every submission's saga, and a hold whose job no longer needs it is released.
/// </summary>
public sealed class CreditLedgerGrain(IPlatformRecords records, IOptions<RadMahSiloOptions> options, ILogger<CreditLedgerGrain> logger) : Grain, ICreditLedgerGrain
{
    /// <summary>Holds looked at per sweep, oldest first: a bounded amount of work per tick however many jobs are in flight.</summary>
    private const int HoldsPerSweep = 200;

    private LedgerFold _ledger = new([]);

    private string AccountId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync();
        var period = options.Value.HoldSweepPeriod;
        this.RegisterGrainTimer(SweepHoldsAsync, new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = false });
    }

    /// <summary>
    /// A hold older than <see cref="RadMahSiloOptions.HoldSweepAge"/> is checked against its job: no
    /// such job (its submission failed and could not be undone at the time) or a failed or canceled
    /// one (whose release did not get through) → released; a queued one → put in its tier's line
    /// again, which is a no-op when it is there already. Faults leave a hold for the next sweep.
    /// </summary>
    private async Task SweepHoldsAsync(CancellationToken cancellationToken)
    {
        var cutoff = DateTime.UtcNow - options.Value.HoldSweepAge;
        var stale = _ledger.HeldSince.Where(h => h.Value < cutoff).OrderBy(h => h.Value).Take(HoldsPerSweep).Select(h => h.Key).ToArray();
        foreach (var jobId in stale)
        {
            try
            {
                JobView? job;
                try
                {
                    job = await GrainFactory.GetGrain<IJobGrain>(jobId).GetAsync();
                }
                catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
                {
                    job = null;
                }
                if (job is null || job.Status is JobStatus.Failed or JobStatus.Canceled)
                {
                    logger.LogWarning("Account {AccountId}: released the hold of job {JobId}, which {State}", AccountId, jobId, job is null ? "does not exist" : "is " + job.Status.ToWire());
                    await ReleaseAsync(jobId);
                }
                else if (job.Status == JobStatus.Queued && job.Tier is { } tier)
                    await GrainFactory.GetGrain<IJobQueueGrain>(tier).EnqueueAsync(jobId);
            }
            catch (Exception ex) when (TransientFaults.IsTransient(ex))
            {
                // The cluster or storage is away: the next sweep looks again.
                return;
            }
        }
    }

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
