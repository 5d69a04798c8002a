using RadMah.Grains.Interfaces.Credits;

namespace RadMah.Grains.Credits;

[GenerateSerializer]
public sealed class CreditLedgerState
{
    [Id(0)] public decimal Balance { get; set; }

    /// <summary>Open holds by job id.</summary>
    [Id(1)] public Dictionary<string, decimal> Holds { get; set; } = [];

    /// <summary>Jobs whose hold was settled: the debit captured (amount) or released (null). Makes capture and release idempotent.</summary>
    [Id(2)] public Dictionary<string, decimal?> Settled { get; set; } = [];

    [Id(3)] public List<LedgerEntry> Entries { get; set; } = [];
}
