using RadMah.Grains.Interfaces.Credits;

namespace RadMah.Grains.Credits;

/// <summary>An account's ledger entries folded into balance, open holds and settled jobs.</summary>
public sealed class LedgerFold
{
    public LedgerFold(IEnumerable<LedgerEntry> entries)
    {
        foreach (var entry in entries) Apply(entry);
    }

    public decimal BalanceAmount { get; private set; }

    /// <summary>Open holds by job id.</summary>
    public Dictionary<string, decimal> Holds { get; } = new(StringComparer.Ordinal);

    /// <summary>When each open hold was placed.</summary>
    public Dictionary<string, DateTime> HeldSince { get; } = new(StringComparer.Ordinal);

    /// <summary>Settled jobs: the captured amount, or null when the hold was released.</summary>
    public Dictionary<string, decimal?> Settled { get; } = new(StringComparer.Ordinal);

    public List<LedgerEntry> Entries { get; } = [];

    public LedgerBalance Balance() => new(BalanceAmount, Holds.Values.Sum());

    public void Apply(LedgerEntry entry)
    {
        Entries.Add(entry);
        switch (entry.Kind)
        {
            case LedgerEntryKind.Deposit:
                BalanceAmount += entry.Amount;
                break;
            case LedgerEntryKind.Hold:
                Holds[entry.JobId!] = entry.Amount;
                HeldSince[entry.JobId!] = entry.AtUtc;
                break;
            case LedgerEntryKind.Debit:
                Holds.Remove(entry.JobId!);
                HeldSince.Remove(entry.JobId!);
                BalanceAmount -= entry.Amount;
                Settled[entry.JobId!] = entry.Amount;
                break;
            case LedgerEntryKind.Release:
                Holds.Remove(entry.JobId!);
                HeldSince.Remove(entry.JobId!);
                Settled[entry.JobId!] = null;
                break;
        }
    }
}
