namespace RadMah.Grains.Interfaces.Credits;

/// <summary>Balance is what the account owns; held is reserved for running jobs; available = balance − held.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerBalance(
    [property: Id(0)] decimal Balance,
    [property: Id(1)] decimal Held)
{
    public decimal Available => Balance - Held;
}
