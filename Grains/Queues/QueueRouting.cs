using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Queues;

/// <summary>
/// The one place that decides a job's tier, from its kind's terms: training → gpu; any other job of
/// a free-plan account → free; small jobs (≤ 10,000 rows) flagged interactive, of kinds that allow
/// it → interactive; everything else → default.
/// </summary>
public static class QueueRouting
{
    public const long InteractiveMaxRows = 10_000;

    public static string TierFor(JobTerms terms, string plan, long rows, bool interactive) =>
        terms.Compute == ComputeNeed.Gpu ? QueueTiers.Gpu
        : plan == AccountPlan.Free ? QueueTiers.Free
        : interactive && terms.MayRunInteractive && rows <= InteractiveMaxRows ? QueueTiers.Interactive
        : QueueTiers.Default;
}
