using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

public static class TestAccounts
{
    /// <summary>
    /// A fresh account, so tests never see each other's jobs or credits, as the grain its jobs are
    /// submitted to (the same key reaches its account, ledger and datasets grains).
    /// </summary>
    public static async Task<IAccountJobsGrain> NewAccountAsync(this IGrainFactory grains, string plan, decimal credits)
    {
        var accountId = Ids.NewAccountId();
        await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(plan, credits);
        return grains.GetGrain<IAccountJobsGrain>(accountId);
    }
}
