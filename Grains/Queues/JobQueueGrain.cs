using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Placement;

namespace RadMah.Grains.Queues;

/// <summary>
/// A tier's waiting line. Capacity is the sum of the slots that active silos declare for this
/// tier in their metadata; work starts, in arrival order, on the silo with the most free slots.
/// With no silo serving the tier, jobs stay visibly queued. Work on a silo that leaves the
/// cluster goes back to the front of the line and starts again elsewhere.
/// </summary>
public sealed class JobQueueGrain(
    [PersistentState("queue", RadMahStorage.Name)] IPersistentState<JobQueueState> state,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    ILogger<JobQueueGrain> logger) : Grain, IJobQueueGrain
{
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(2);

    private string Tier => this.GetPrimaryKeyString();
    private JobQueueState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!QueueTiers.All.Contains(Tier))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{Tier}' is not a queue tier; tiers: {string.Join(", ", QueueTiers.All)}.", "tier");
        // Membership changes (a silo joining or dying) must move work even when no call arrives.
        this.RegisterGrainTimer(_ => S.Waiting.Count > 0 || S.RunningOn.Count > 0 ? PumpAsync() : Task.CompletedTask, WatchPeriod, WatchPeriod);
        return Task.CompletedTask;
    }

    public async Task EnqueueAsync(string jobId)
    {
        if (S.Waiting.Contains(jobId) || S.RunningOn.ContainsKey(jobId)) return;
        S.Waiting.Add(jobId);
        await state.WriteStateAsync();
        await PumpAsync();
    }

    public async Task ResumeAsync(string jobId)
    {
        if (S.Waiting.Contains(jobId)) return;
        // Still running on a live silo whose runner is at work: nothing to do. A live silo whose runner
        // gave up (its last report was lost while storage was away) gets the job back like a dead one.
        if (S.RunningOn.TryGetValue(jobId, out var silo) && ActiveSilos().ContainsKey(silo)
            && await GrainFactory.GetGrain<IJobRunnerGrain>(SiloPinnedPlacement.Key(jobId, SiloAddress.FromParsableString(silo))).IsRunningAsync())
            return;
        S.RunningOn.Remove(jobId);
        S.Waiting.Insert(0, jobId);
        logger.LogWarning("Queue {Tier}: {JobId} lost its worker; it will start again", Tier, jobId);
        await state.WriteStateAsync();
        await PumpAsync();
    }

    public async Task ReleaseAsync(string jobId)
    {
        var removed = S.RunningOn.Remove(jobId) | S.Waiting.Remove(jobId);
        if (!removed) return;
        await state.WriteStateAsync();
        await PumpAsync();
    }

    public Task<QueueDepth> GetDepthAsync() =>
        Task.FromResult(new QueueDepth(Tier, S.Waiting.Count, S.RunningOn.Count, ActiveSilos().Values.Sum()));

    /// <summary>Active silos serving this tier, by parsable address, with their slots.</summary>
    private Dictionary<string, int> ActiveSilos()
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active) continue;
            var slots = SiloTiers.SlotsFor(siloMetadata.GetSiloMetadata(member.SiloAddress), Tier);
            if (slots > 0) result[member.SiloAddress.ToParsableString()] = slots;
        }
        return result;
    }

    private async Task PumpAsync()
    {
        var silos = ActiveSilos();
        var lost = S.RunningOn.Where(r => !silos.ContainsKey(r.Value)).Select(r => r.Key).ToList();
        foreach (var jobId in lost)
        {
            S.RunningOn.Remove(jobId);
            S.Waiting.Insert(0, jobId);
            logger.LogWarning("Queue {Tier}: the silo running {JobId} left the cluster; it will start again", Tier, jobId);
        }
        if (lost.Count > 0) await state.WriteStateAsync();

        while (S.Waiting.Count > 0)
        {
            var load = S.RunningOn.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            var target = silos
                .Select(s => (Silo: s.Key, Free: s.Value - load.GetValueOrDefault(s.Key)))
                .Where(s => s.Free > 0)
                .OrderByDescending(s => s.Free).ThenBy(s => s.Silo, StringComparer.Ordinal)
                .FirstOrDefault();
            if (target.Silo is null) return;
            var jobId = S.Waiting[0];
            S.Waiting.RemoveAt(0);
            S.RunningOn[jobId] = target.Silo;
            await state.WriteStateAsync();
            try
            {
                var key = SiloPinnedPlacement.Key(jobId, SiloAddress.FromParsableString(target.Silo));
                await GrainFactory.GetGrain<IJobRunnerGrain>(key).StartAsync(Tier);
            }
            catch (Exception ex)
            {
                // The silo went away between the snapshot and the call: put the job back and try later.
                logger.LogWarning(ex, "Queue {Tier}: could not start {JobId} on {Silo}", Tier, jobId, target.Silo);
                S.RunningOn.Remove(jobId);
                S.Waiting.Insert(0, jobId);
                await state.WriteStateAsync();
                return;
            }
        }
    }
}
