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
    [PersistentState("queue", RadMahStorage.Name)] IPersistentState<JobQueueState> state,
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
    private JobQueueState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!QueueTiers.All.Contains(Tier))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{Tier}' is not a queue tier; tiers: {string.Join(", ", QueueTiers.All)}.", "tier");
        // Membership changes (a silo joining or dying) must move work even when no call arrives.
        PlatformMetrics.QueueDepth(Tier, S.Waiting.Count, S.RunningOn.Count);
        // The tick also clears a pump request whose one-way message never arrived.
        this.RegisterGrainTimer(_ => TickAsync(), WatchPeriod, WatchPeriod);
        // Once per activation: a queue that is woken keeps its reminder, so there is nothing to change while it lives.
        await this.RegisterOrUpdateReminder(WakeReminder, WakePeriod, WakePeriod);
    }

    /// <summary>Being activated is the point (it starts the tick); the tick itself also runs now.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == WakeReminder ? TickAsync() : Task.CompletedTask;

    private async Task TickAsync()
    {
        if (S.Waiting.Count == 0 && S.RunningOn.Count == 0) return;
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
        var held = S.RunningOn.Where(r => silos.ContainsKey(r.Value)).ToArray();
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
        var freed = idle.OfType<string>().Where(id => S.RunningOn.Remove(id)).ToList();
        if (freed.Count == 0) return;
        S.Waiting.InsertRange(0, freed.Where(id => !S.Waiting.Contains(id)));
        logger.LogWarning("Queue {Tier}: took back {Count} slots whose runners had ended without releasing them ({Jobs}); their jobs are back in line", Tier, freed.Count, string.Join(", ", freed));
        await SaveAsync();
    }

    /// <summary>
    /// Interleaves with the queue's other calls (<see cref="IJobQueueGrain.EnqueueAsync"/>), so a burst
    /// of submissions shares a few state writes instead of writing the whole line once per job.
    /// </summary>
    public async Task EnqueueAsync(string jobId)
    {
        if (S.Waiting.Contains(jobId)) return;
        // A queued job that holds a slot here (a repeated enqueue, such as a retried submission): its
        // runner may be waiting for the silo's CPU, or may have ended without reaching this queue;
        // check the runner, or the slot and the job are stuck. As a call of its own, so the check does
        // not interleave with the pump.
        if (S.RunningOn.ContainsKey(jobId))
        {
            await this.AsReference<IJobQueueGrain>().ResumeAsync(jobId);
            return;
        }
        S.Waiting.Add(jobId);
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
        if (S.Waiting.Contains(jobId)) return;
        // Still running on a live silo whose runner is at work: nothing to do. A live silo whose runner
        // gave up (its last report was lost while storage was away) gets the job back like a dead one.
        if (S.RunningOn.TryGetValue(jobId, out var silo) && ActiveSilos().ContainsKey(silo)
            && await GrainFactory.GetGrain<IJobRunnerGrain>(SiloPinnedPlacement.Key(jobId, SiloAddress.FromParsableString(silo))).IsRunningAsync())
            return;
        S.RunningOn.Remove(jobId);
        S.Waiting.Insert(0, jobId);
        logger.LogWarning("Queue {Tier}: {JobId} lost its worker; it will start again", Tier, jobId);
        await SaveAsync();
        SchedulePump();
    }

    public async Task ReleaseAsync(string jobId)
    {
        var removed = S.RunningOn.Remove(jobId) | S.Waiting.Remove(jobId);
        if (!removed) return;
        await SaveAsync();
        SchedulePump();
    }

    public Task<QueueDepth> GetDepthAsync() =>
        Task.FromResult(new QueueDepth(Tier, S.Waiting.Count, S.RunningOn.Count, ActiveSilos().Values.Sum()));

    /// <summary>The last write started; a change made while it runs goes into the next one.</summary>
    private Task _lastWrite = Task.CompletedTask;

    /// <summary>The write that starts when the running one ends, shared by every change made meanwhile.</summary>
    private Task? _nextWrite;

    /// <summary>
    /// Completes once a write that started after the caller's change has stored it. Enqueues and
    /// releases interleave, so while one write runs, every change made meanwhile shares the next.
    /// </summary>
    private Task SaveAsync()
    {
        if (_nextWrite is not null) return _nextWrite;
        if (_lastWrite.IsCompleted) return _lastWrite = WriteAsync();
        return _nextWrite = WriteAfterAsync(_lastWrite);
    }

    private async Task WriteAfterAsync(Task running)
    {
        try
        {
            await running;
        }
        catch (Exception)
        {
            // Its callers heard why; this is a write of its own.
        }
        _nextWrite = null;
        var write = WriteAsync();
        _lastWrite = write;
        await write;
    }

    private async Task WriteAsync()
    {
        await state.WriteOrForgetAsync(this);
        PlatformMetrics.QueueDepth(Tier, S.Waiting.Count, S.RunningOn.Count);
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
        var lost = S.RunningOn.Where(r => !silos.ContainsKey(r.Value)).Select(r => r.Key).ToList();
        foreach (var jobId in lost)
        {
            S.RunningOn.Remove(jobId);
            S.Waiting.Insert(0, jobId);
            logger.LogWarning("Queue {Tier}: the silo running {JobId} left the cluster; it will start again", Tier, jobId);
        }

        var free = silos.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var running in S.RunningOn.Values)
            if (free.ContainsKey(running)) free[running]--;
        var starts = new List<(string JobId, string Silo)>();
        var taken = 0;
        while (taken < S.Waiting.Count)
        {
            // The silo with the most free slots; ties go to the lowest address, so placement is predictable.
            string? target = null;
            foreach (var (silo, slots) in free)
                if (slots > 0 && (target is null || slots > free[target] || (slots == free[target] && string.CompareOrdinal(silo, target) < 0)))
                    target = silo;
            if (target is null) break;
            var jobId = S.Waiting[taken++];
            free[target]--;
            S.RunningOn[jobId] = target;
            starts.Add((jobId, target));
        }
        if (taken > 0) S.Waiting.RemoveRange(0, taken);
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
        foreach (var jobId in failed) S.RunningOn.Remove(jobId);
        S.Waiting.InsertRange(0, failed);
        await SaveAsync();
    }
}
