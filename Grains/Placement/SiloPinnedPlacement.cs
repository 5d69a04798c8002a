using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace RadMah.Grains.Placement;

/// <summary>
/// Places a grain on the silo named in its key ("&lt;anything&gt;|&lt;silo address&gt;"). The tier queue
/// picks a silo that serves the job's tier and has a free slot; the runner then activates exactly there.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    public const char Separator = '|';

    public static string Key(string jobId, SiloAddress silo) => jobId + Separator + silo.ToParsableString();

    public static (string JobId, SiloAddress Silo) Parse(string key)
    {
        var at = key.IndexOf(Separator);
        if (at <= 0) throw new ArgumentException($"'{key}' is not a pinned key (jobId|silo).");
        return (key[..at], SiloAddress.FromParsableString(key[(at + 1)..]));
    }
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(new SiloPinnedPlacement());

public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var (_, silo) = SiloPinnedPlacement.Parse(target.GrainIdentity.Key.ToString()!);
        if (!context.GetCompatibleSilos(target).Contains(silo))
            throw new OrleansException($"silo {silo} is not an active silo for {target.GrainIdentity}; the queue will place the work again.");
        return Task.FromResult(silo);
    }
}
