namespace RadMah.Grains.Interfaces.Credits;

/// <summary>What a ledger entry records. Only deposit and debit move the balance; hold and release move the held amount.</summary>
[GenerateSerializer]
public enum LedgerEntryKind
{
    Deposit = 0,
    Hold = 1,
    Debit = 2,
    Release = 3,
}

/// <summary>One line of an account's append-only credit ledger.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string? JobId,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTime AtUtc);
