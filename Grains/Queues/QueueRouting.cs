using RadMah.Engine.Jobs;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Queues;

/// <summary>
/// The one place that decides a job's tier: train → gpu; any job of a free-plan account → free;
/// small mock jobs (≤ 10,000 rows) flagged interactive → interactive; everything else → default.
/// </summary>
public static class QueueRouting
{
    public const long InteractiveMaxRows = 10_000;

    public static string TierFor(string kind, string plan, long rows, bool interactive) =>
        kind == JobKinds.Train ? QueueTiers.Gpu
        : plan == AccountPlan.Free ? QueueTiers.Free
        : interactive && kind == JobKinds.Mock && rows <= InteractiveMaxRows ? QueueTiers.Interactive
        : QueueTiers.Default;
}
