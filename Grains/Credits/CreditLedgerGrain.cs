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
/// writer and keeps its balance and open holds in memory (settled jobs are looked up in the records
/// when asked about again); an entry counts only once the records accepted it, and
/// the records' constraints refuse a second hold, debit or release for the same job whatever happens here.
/// While active, it sweeps its open holds (<see cref="SweepHoldsAsync"/>): the ledger is the log of
/// every submission's saga, and a hold whose job no longer needs it is released.
/// </summary>
public sealed class CreditLedgerGrain(IPlatformRecords records, IOptions<RadMahSiloOptions> options, ILogger<CreditLedgerGrain> logger) : Grain, ICreditLedgerGrain
{
    /// <summary>Holds looked at per sweep, oldest first: a bounded amount of work per tick however many jobs are in flight.</summary>
    private const int HoldsPerSweep = 200;

    private LedgerFold _ledger = new(new LedgerSummary(0, 0m, []));

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

    public async Task ReloadAsync() => _ledger = new LedgerFold(await records.ReadLedgerSummaryAsync(AccountId));

    /// <summary>How the job's hold was settled: captured (the amount), released (null), or not settled at all.</summary>
    private async Task<(bool Settled, decimal? Captured)> SettlementAsync(string jobId)
    {
        foreach (var entry in await records.ReadJobLedgerAsync(AccountId, jobId))
        {
            if (entry.Kind == LedgerEntryKind.Debit) return (true, entry.Amount);
            if (entry.Kind == LedgerEntryKind.Release) return (true, null);
        }
        return (false, null);
    }

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
        return RetriedOnConflictAsync(async afterConflict =>
        {
            if (_ledger.Holds.TryGetValue(jobId, out var existing))
            {
                if (existing == amount) return _ledger.Balance();
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} already holds {existing} credits.");
            }
            // A job's hold is placed once, so only a repeated call finds it settled: on the first try
            // the records refuse a second hold, and the retry asks them why.
            if (afterConflict && (await SettlementAsync(jobId)).Settled)
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} was already settled.");
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
        return RetriedOnConflictAsync(async _ =>
        {
            if (!_ledger.Holds.TryGetValue(jobId, out var amount))
            {
                var (settled, captured) = await SettlementAsync(jobId);
                if (captured is { } charged) return charged;
                if (settled) throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId}'s hold was released; it cannot be captured.");
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} holds no credits.");
            }
            await AppendAsync(LedgerEntryKind.Debit, amount, jobId, "captured on success");
            return amount;
        });
    }

    public Task ReleaseAsync(string jobId)
    {
        RequireJobId(jobId);
        return RetriedOnConflictAsync(async _ =>
        {
            // Not held (never, or settled already): nothing to release.
            if (!_ledger.Holds.TryGetValue(jobId, out var amount)) return true;
            await AppendAsync(LedgerEntryKind.Release, amount, jobId, "released: job did not succeed");
            return true;
        });
    }

    public Task<IReadOnlyList<LedgerEntry>> GetEntriesAsync() => records.ReadLedgerAsync(AccountId);

    private async Task AppendAsync(LedgerEntryKind kind, decimal amount, string? jobId, string reason)
    {
        var entry = new LedgerEntry(_ledger.LastSequence + 1, kind, amount, jobId, reason, DateTime.UtcNow);
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
    private async Task<T> RetriedOnConflictAsync<T>(Func<bool, Task<T>> operation)
    {
        try
        {
            return await operation(false);
        }
        catch (DuplicateRecordException)
        {
            return await operation(true);
        }
    }

    private static void RequireJobId(string jobId)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id.", "job_id");
    }
}
