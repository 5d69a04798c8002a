using RadMah.Grains.Interfaces.Credits;

namespace RadMah.Grains.Records;

/// <summary>
/// An account's ledger folded by the store: the last entry's sequence, the balance (deposits less
/// debits), and the holds not yet settled, oldest first. What the ledger grain keeps in memory,
/// whatever the length of the account's history.
/// </summary>
public sealed record LedgerSummary(long LastSequence, decimal Balance, IReadOnlyList<LedgerEntry> OpenHolds);
