using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Records;

namespace RadMah.Grains.Credits;

/// <summary>
/// What the ledger grain keeps of an account's ledger: the balance, the open holds and the last
/// sequence. Settled jobs and past entries stay in the records, so memory follows the jobs in
/// flight, not the account's history.
/// </summary>
public sealed class LedgerFold
{
    public LedgerFold(LedgerSummary summary)
    {
        LastSequence = summary.LastSequence;
        BalanceAmount = summary.Balance;
        foreach (var hold in summary.OpenHolds) Apply(hold);
    }

    public long LastSequence { get; private set; }

    public decimal BalanceAmount { get; private set; }

    /// <summary>Open holds by job id.</summary>
    public Dictionary<string, decimal> Holds { get; } = new(StringComparer.Ordinal);

    /// <summary>When each open hold was placed.</summary>
    public Dictionary<string, DateTime> HeldSince { get; } = new(StringComparer.Ordinal);

    private decimal _held;

    public LedgerBalance Balance() => new(BalanceAmount, _held);

    public void Apply(LedgerEntry entry)
    {
        LastSequence = Math.Max(LastSequence, entry.Sequence);
        switch (entry.Kind)
        {
            case LedgerEntryKind.Deposit:
                BalanceAmount += entry.Amount;
                break;
            case LedgerEntryKind.Hold:
                Holds[entry.JobId!] = entry.Amount;
                HeldSince[entry.JobId!] = entry.AtUtc;
                _held += entry.Amount;
                break;
            case LedgerEntryKind.Debit:
                Settle(entry.JobId!);
                BalanceAmount -= entry.Amount;
                break;
            case LedgerEntryKind.Release:
                Settle(entry.JobId!);
                break;
        }
    }

    private void Settle(string jobId)
    {
        if (Holds.Remove(jobId, out var held)) _held -= held;
        HeldSince.Remove(jobId);
    }
}
