using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Placement;
using RadMah.Grains.Storage;
using RadMah.Grains.Telemetry;

namespace RadMah.Grains.Queues;

/// <summary>
/// A tier's waiting line, and what keeps its jobs moving. Capacity is the sum of the slots that
/// active silos declare for this tier in their metadata; work starts, in arrival order, on the
/// silo with the most free slots. With no silo serving the tier, jobs stay visibly queued. Work
/// on a silo that leaves the cluster goes back to the front of the line and starts again
/// elsewhere; so does the job of a slot whose runner is no longer at work (<see cref="ReclaimIdleSlotsAsync"/>).
/// A durable reminder wakes the queue on a surviving silo after its own silo dies.
/// </summary>
public sealed class JobQueueGrain(
    [PersistentState("queue", RadMahStorage.Name)] IPersistentState<JobQueueState> legacyState,
    IQueueLines lines,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    ILogger<JobQueueGrain> logger) : Grain, IJobQueueGrain, IRemindable
{
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Wakes this queue (on any silo) while the cluster runs: its timer dies with its silo, its reminder does not.</summary>
    public const string WakeReminder = "wake";
    public static readonly TimeSpan WakePeriod = TimeSpan.FromSeconds(10);

    /// <summary>Every this many ticks, each slot held on a live silo is checked against its runner.</summary>
    private const int ReclaimEveryTicks = 5;

    private int _ticks;

    private string Tier => this.GetPrimaryKeyString();

    /// <summary>The line; its rows are written where they changed (<see cref="SaveAsync"/>), not as a whole.</summary>
    private TierLine _line = new([]);

    /// <summary>The stored line's version, which the next write names.</summary>
    private long _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!QueueTiers.All.Contains(Tier))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{Tier}' is not a queue tier; tiers: {string.Join(", ", QueueTiers.All)}.", "tier");
        var stored = await lines.ReadAsync(Tier, cancellationToken);
        (_line, _version) = (new TierLine(stored.Rows), stored.Version);
        await CarryOverLegacyLineAsync();
        // Membership changes (a silo joining or dying) must move work even when no call arrives.
        PlatformMetrics.QueueDepth(Tier, _line.WaitingCount, _line.RunningOn.Count);
        // The tick also clears a pump request whose one-way message never arrived.
        this.RegisterGrainTimer(_ => TickAsync(), WatchPeriod, WatchPeriod);
        // Once per activation: a queue that is woken keeps its reminder, so there is nothing to change while it lives.
        await this.RegisterOrUpdateReminder(WakeReminder, WakePeriod, WakePeriod);
    }

    /// <summary>Being activated is the point (it starts the tick); the tick itself also runs now.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == WakeReminder ? TickAsync() : Task.CompletedTask;

    /// <summary>
    /// Earlier versions kept the whole line as one grain state; a line left there by one of them
    /// moves to the rows once, then that state is cleared.
    /// </summary>
    private async Task CarryOverLegacyLineAsync()
    {
        var legacy = legacyState.State;
        if (legacy.Waiting.Count == 0 && legacy.RunningOn.Count == 0) return;
        foreach (var (jobId, silo) in legacy.RunningOn)
            if (!_line.IsWaiting(jobId) && !_line.RunningOn.ContainsKey(jobId)) _line.Hold(jobId, silo);
        foreach (var jobId in legacy.Waiting)
            if (!_line.IsWaiting(jobId) && !_line.RunningOn.ContainsKey(jobId)) _line.AddToBack(jobId);
        await SaveAsync();
        await legacyState.ClearStateAsync();
        logger.LogInformation("Queue {Tier}: carried over {Waiting} waiting and {Running} running jobs from the older single-state line", Tier, legacy.Waiting.Count, legacy.RunningOn.Count);
    }

    private async Task TickAsync()
    {
        if (_line.WaitingCount == 0 && _line.RunningOn.Count == 0) return;
        if (++_ticks % ReclaimEveryTicks == 0) await ReclaimIdleSlotsAsync();
        await PumpAsync();
    }

    /// <summary>
    /// A runner frees its slot by calling <see cref="ReleaseAsync"/> once the job has heard how its
    /// attempt ended. That call can be lost (this queue's silo died while it was sent), and a runner
    /// whose job could not be told keeps its slot on purpose; either way nothing else would free the
    /// slot, and once all are lost the tier stops starting work. So slots held on live silos are
    /// checked against their runners, and the job of a slot whose runner is not at work goes back to
    /// the front of the line: a job that still needs work starts again (or finishes its commit), and
    /// one that is already finished frees the slot as soon as its next attempt begins.
    /// </summary>
    private async Task ReclaimIdleSlotsAsync()
    {
        var silos = ActiveSilos();
        var held = _line.RunningOn.Where(r => silos.ContainsKey(r.Value)).ToArray();
        if (held.Length == 0) return;
        var idle = await Task.WhenAll(held.Select(async r =>
        {
            try
            {
                var running = await GrainFactory.GetGrain<IJobRunnerGrain>(SiloPinnedPlacement.Key(r.Key, SiloAddress.FromParsableString(r.Value))).IsRunningAsync();
                return running ? null : r.Key;
            }
            catch (Exception ex)
            {
                // The silo is going away: the lost-silo path of the pump takes the slot back.
                logger.LogDebug(ex, "Queue {Tier}: could not ask the runner of {JobId}", Tier, r.Key);
                return null;
            }
        }));
        var freed = idle.OfType<string>().Where(id => _line.RunningOn.ContainsKey(id)).ToList();
        if (freed.Count == 0) return;
        for (var i = freed.Count - 1; i >= 0; i--) _line.AddToFront(freed[i]);
        logger.LogWarning("Queue {Tier}: took back {Count} slots whose runners had ended without releasing them ({Jobs}); their jobs are back in line", Tier, freed.Count, string.Join(", ", freed));
        await SaveAsync();
    }

    /// <summary>
    /// Interleaves with the queue's other calls (<see cref="IJobQueueGrain.EnqueueAsync"/>), so a burst
    /// of submissions shares a few state writes instead of writing the whole line once per job.
    /// </summary>
    public async Task EnqueueAsync(string jobId)
    {
        if (_line.IsWaiting(jobId)) return;
        // A queued job that holds a slot here (a repeated enqueue, such as a retried submission): its
        // runner may be waiting for the silo's CPU, or may have ended without reaching this queue;
        // check the runner, or the slot and the job are stuck. As a call of its own, so the check does
        // not interleave with the pump.
        if (_line.RunningOn.ContainsKey(jobId))
        {
            await this.AsReference<IJobQueueGrain>().ResumeAsync(jobId);
            return;
        }
        _line.AddToBack(jobId);
        await SaveAsync();
        // Starting work is not the submitter's wait: a burst of submissions is answered first,
        // then one pump turn starts as many as the free slots allow.
        SchedulePump();
    }

    public Task PumpAsync()
    {
        _pumpScheduled = false;
        return StartWaitingWorkAsync();
    }

    private bool _pumpScheduled;

    private void SchedulePump()
    {
        if (_pumpScheduled) return;
        _pumpScheduled = true;
        this.AsReference<IJobQueueGrain>().PumpAsync().Ignore();
    }

    public async Task ResumeAsync(string jobId)
    {
        if (_line.IsWaiting(jobId)) return;
        // Still running on a live silo whose runner is at work: nothing to do. A live silo whose runner
        // gave up (its last report was lost while storage was away) gets the job back like a dead one.
        if (_line.RunningOn.TryGetValue(jobId, out var silo) && ActiveSilos().ContainsKey(silo)
            && await GrainFactory.GetGrain<IJobRunnerGrain>(SiloPinnedPlacement.Key(jobId, SiloAddress.FromParsableString(silo))).IsRunningAsync())
            return;
        _line.AddToFront(jobId);
        logger.LogWarning("Queue {Tier}: {JobId} lost its worker; it will start again", Tier, jobId);
        await SaveAsync();
        SchedulePump();
    }

    public async Task ReleaseAsync(string jobId)
    {
        if (!_line.Remove(jobId)) return;
        await SaveAsync();
        SchedulePump();
    }

    public Task<QueueDepth> GetDepthAsync() =>
        Task.FromResult(new QueueDepth(Tier, _line.WaitingCount, _line.RunningOn.Count, ActiveSilos().Values.Sum()));

    private CoalescedWrites? _writes;

    /// <summary>Completes once a write that started after the caller's change has stored it (<see cref="CoalescedWrites"/>).</summary>
    private Task SaveAsync() => (_writes ??= new CoalescedWrites(WriteAsync)).SaveAsync();

    /// <summary>
    /// Stores the rows changed since the last write. If it fails, memory no longer matches storage
    /// (and the changes it took are gone from memory's list), so the activation is dropped and the
    /// next call starts from what storage holds.
    /// </summary>
    private async Task WriteAsync()
    {
        if (!_line.HasChanges) return;
        try
        {
            _version = await lines.WriteAsync(Tier, _version, _line.TakeChanges());
        }
        catch (Exception ex)
        {
            GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, ex,
                "a write of the line failed; the activation's memory no longer matches storage"));
            throw;
        }
        PlatformMetrics.QueueDepth(Tier, _line.WaitingCount, _line.RunningOn.Count);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        PlatformMetrics.QueueGone(Tier);
        return Task.CompletedTask;
    }

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

    /// <summary>
    /// Returns work of silos that left to the front of the line, then gives every free slot the
    /// oldest waiting job: one state write for the whole round, runners started side by side.
    /// </summary>
    private async Task StartWaitingWorkAsync()
    {
        var silos = ActiveSilos();
        var lost = _line.RunningOn.Where(r => !silos.ContainsKey(r.Value)).Select(r => r.Key).ToList();
        for (var i = lost.Count - 1; i >= 0; i--)
        {
            _line.AddToFront(lost[i]);
            logger.LogWarning("Queue {Tier}: the silo running {JobId} left the cluster; it will start again", Tier, lost[i]);
        }

        var free = silos.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var running in _line.RunningOn.Values)
            if (free.ContainsKey(running)) free[running]--;
        var starts = new List<(string JobId, string Silo)>();
        while (_line.WaitingCount > 0)
        {
            // The silo with the most free slots; ties go to the lowest address, so placement is predictable.
            string? target = null;
            foreach (var (silo, slots) in free)
                if (slots > 0 && (target is null || slots > free[target] || (slots == free[target] && string.CompareOrdinal(silo, target) < 0)))
                    target = silo;
            if (target is null) break;
            free[target]--;
            starts.Add((_line.StartFirst(target), target));
        }
        if (lost.Count == 0 && starts.Count == 0) return;
        await SaveAsync();

        var results = await Task.WhenAll(starts.Select(async s =>
        {
            try
            {
                await GrainFactory.GetGrain<IJobRunnerGrain>(SiloPinnedPlacement.Key(s.JobId, SiloAddress.FromParsableString(s.Silo))).StartAsync(Tier);
                return null;
            }
            catch (Exception ex)
            {
                // The silo went away between the snapshot and the call: the job goes back to the front.
                logger.LogWarning(ex, "Queue {Tier}: could not start {JobId} on {Silo}", Tier, s.JobId, s.Silo);
                return s.JobId;
            }
        }));
        var failed = results.OfType<string>().ToList();
        if (failed.Count == 0) return;
        for (var i = failed.Count - 1; i >= 0; i--) _line.AddToFront(failed[i]);
        await SaveAsync();
    }
}
