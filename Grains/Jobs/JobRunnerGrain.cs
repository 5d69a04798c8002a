using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Grains.Hosting;
using RadMah.Grains.Placement;
using RadMah.Grains.Queues;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Work;

namespace RadMah.Grains.Jobs;

/// <summary>
/// Runs a job's work on the thread pool, so the job grain stays responsive, and reports progress,
/// success or failure back to it. Holds no durable state: the job grain owns the truth.
/// </summary>
[SiloPinnedPlacement]
public sealed class JobRunnerGrain(
    IArtifactStore artifactStore,
    JobWorkCatalog catalog,
    ComputeGate computeGate,
    IOptions<RadMahSiloOptions> options,
    ILocalSiloDetails silo,
    ILogger<JobRunnerGrain> logger) : Grain, IJobRunnerGrain
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    private CancellationTokenSource? _cancel;
    private Task? _work;
    private bool _started;

    /// <summary>This run's turn on the silo's CPU, once asked for: see <see cref="OnDeactivateAsync"/>.</summary>
    private Task<IDisposable>? _turn;

    /// <summary>The runner's key is "jobId|silo": it runs on the silo its queue chose.</summary>
    private string JobId => SiloPinnedPlacement.Parse(this.GetPrimaryKeyString()).JobId;

    public Task StartAsync(string tier)
    {
        if (_started) return Task.CompletedTask;
        _started = true;
        // Work can outlast the idle-collection age; the runner deactivates itself when done.
        DelayDeactivation(TimeSpan.FromDays(1));
        _ = RunAsync(tier);
        return Task.CompletedTask;
    }

    public Task<bool> IsRunningAsync()
    {
        // Asking may have created this activation (the one that ran is gone): it has nothing to keep.
        if (!_started) DeactivateOnIdle();
        return Task.FromResult(_started);
    }

    /// <summary>
    /// An activation can end while its run still awaits (a duplicate activation removed after a
    /// silo died, or the silo shutting down); the rest of the run then never executes. Its place
    /// on the CPU gate must not go with it, or the silo computes one job fewer for ever: stop
    /// waiting, and give back a turn already granted (giving it back twice is harmless).
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _cancel?.Cancel();
        if (_turn is { IsCompletedSuccessfully: true } granted) granted.Result.Dispose();
        return Task.CompletedTask;
    }

    public async Task CancelAsync()
    {
        _cancel?.Cancel();
        if (_work is not null) await Task.WhenAny(_work, Task.Delay(CancelGrace));
        await artifactStore.DiscardStagingAsync(JobId);
    }

    private async Task RunAsync(string tier)
    {
        var job = GrainFactory.GetGrain<IJobGrain>(JobId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = JobId, ["Tier"] = tier });
        using var cancel = new CancellationTokenSource();
        _cancel = cancel;
        // Whether the job knows how this attempt ended (or that there was nothing to do). Only then
        // is the slot given back: otherwise the queue, finding this runner no longer at work, puts
        // the job back in line, which is how an attempt whose outcome was lost is retried.
        var settled = false;
        try
        {
            // Wait for this silo's CPU (interactive first, then default, then free); the job stays queued meanwhile.
            _turn = computeGate.EnterAsync(tier, cancel.Token);
            using var turn = await _turn;
            var definition = await job.BeginAttemptAsync(silo.SiloAddress.ToParsableString());
            if (definition is null)
            {
                settled = true;
                return;
            }
            await artifactStore.DiscardStagingAsync(JobId);
            var work = catalog.Get(definition.Kind);
            var settings = new WorkSettings(options.Value.WorkParallelism, ThrottledProgress(job));
            var running = Task.Run(() => work.RunAsync(definition, artifactStore, settings, cancel.Token), cancel.Token);
            _work = running;
            IReadOnlyList<StagedArtifact> outputs;
            try
            {
                outputs = await running;
                // Promote here, on the silo that staged them (small outputs are in its memory), so the
                // outputs are in the store (which every node can read) before the job grain, wherever it
                // lives, commits them. Its own promotion then finds them stored; content-addressing makes that a no-op.
                foreach (var output in outputs) await artifactStore.PromoteAsync(output);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                logger.LogInformation("Job {JobId}: work stopped after cancel", JobId);
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Job {JobId}: work failed", JobId);
                // What the attempt staged is on this silo (small outputs in its memory): discarded here,
                // whichever silo the job grain that records the failure lives on.
                await artifactStore.DiscardStagingAsync(JobId);
                await job.FailWorkAsync(Describe(ex));
                settled = true;
                return;
            }
            await job.CompleteWorkAsync([.. outputs.Select(o => o.ToOutput())]);
            settled = true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            logger.LogInformation("Job {JobId}: canceled while waiting for the CPU", JobId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job {JobId}: runner could not finish the attempt; the queue will start it again", JobId);
        }
        finally
        {
            // Not running any more, whatever happens next: the queue asks this before it restarts the job.
            _started = false;
            // Disposed when this method returns; a deactivation after that has nothing to cancel.
            _cancel = null;
            // A cancel by the job frees its queue entry itself; one by this activation's end (the silo
            // stopping) leaves the job queued, so its slot stays held until the queue reclaims it.
            if (settled) await ReleaseSlotAsync(tier);
            DeactivateOnIdle();
        }
    }

    private async Task ReleaseSlotAsync(string tier)
    {
        try
        {
            await GrainFactory.GetGrain<IJobQueueGrain>(tier).ReleaseAsync(JobId);
        }
        catch (Exception ex)
        {
            // The queue finds this runner no longer at work and takes the slot back (ReclaimIdleSlotsAsync).
            logger.LogWarning(ex, "Job {JobId}: could not free its slot in {Tier}", JobId, tier);
        }
    }

    /// <summary>Reports rows done at most every 200 ms; called from the engine's writing loop.</summary>
    private static Action<long> ThrottledProgress(IJobGrain job)
    {
        var last = DateTime.MinValue;
        return rows =>
        {
            var now = DateTime.UtcNow;
            if (now - last < ProgressInterval) return;
            last = now;
            _ = job.ReportProgressAsync(rows);
        };
    }

    private static string Describe(Exception ex) => ex switch
    {
        ContractException => ex.Message,
        Engine.Datasets.DatasetException => $"the dataset cannot be read: {ex.Message}",
        InvalidDataException => $"the stored bytes do not match their digest: {ex.Message}",
        IOException => $"storage error: {ex.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
