using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.Silo;

/// <summary>The account a fresh node creates so that the demo and first experiments have credits to spend.</summary>
public static class DevelopmentAccount
{
    public const string Id = "acct_dev";
    public const decimal StartingCredits = 1_000m;

    public static Task<AccountView> EnsureAsync(IGrainFactory grains) =>
        grains.GetGrain<IAccountGrain>(Id).EnsureCreatedAsync(AccountPlan.Pro, StartingCredits);
}
