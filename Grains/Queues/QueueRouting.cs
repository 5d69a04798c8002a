using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Queues;

/// <summary>The one place that decides a job's tier: train → gpu; free plan → free; everything else → default.</summary>
public static class QueueRouting
{
    public static string TierFor(string kind, string plan) =>
        kind == JobKinds.Train ? QueueTiers.Gpu
        : plan == AccountPlan.Free ? QueueTiers.Free
        : QueueTiers.Default;
}
