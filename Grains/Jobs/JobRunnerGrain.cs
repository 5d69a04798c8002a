using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Grains.Faults;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
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

    /// <summary>
    /// How long a finished attempt keeps trying to tell its job (and to promote its outputs) through
    /// transient faults: longer than a dead silo takes to be declared dead and a database to restart.
    /// </summary>
    private static readonly TimeSpan ReportPatience = TimeSpan.FromMinutes(3);

    /// <summary>Runs of the work within one attempt when it meets transient faults.</summary>
    private const int WorkRuns = 3;

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
            Attempt attempt;
            // Wait for this silo's CPU (interactive first, then default, then free); the job stays queued meanwhile.
            _turn = computeGate.EnterAsync(tier, cancel.Token);
            using (await _turn)
            {
                var definition = await TransientRetry.RunAsync(() => job.BeginAttemptAsync(silo.SiloAddress.ToParsableString()), ReportPatience, logger,
                    $"Job {JobId}: starting the attempt", cancel.Token);
                if (definition is null)
                {
                    settled = true;
                    return;
                }
                attempt = await WorkAsync(definition, cancel.Token);
            }
            // The CPU is given back before the job hears the outcome: if the job's grain was on a silo
            // that died, telling it waits until the cluster has declared that silo dead and the job
            // is activated again elsewhere. The finished work is kept, not run again.
            switch (attempt)
            {
                case Attempt.Done done:
                    await TransientRetry.RunAsync(() => job.CompleteWorkAsync([.. done.Outputs.Select(o => o.ToOutput())]), ReportPatience, logger,
                        $"Job {JobId}: reporting success", CancellationToken.None);
                    settled = true;
                    break;
                case Attempt.Failed failed:
                    await TransientRetry.RunAsync(() => job.FailWorkAsync(failed.Error), ReportPatience, logger, $"Job {JobId}: reporting failure", CancellationToken.None);
                    settled = true;
                    break;
            }
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

    /// <summary>How an attempt's work ended: outputs promoted, failed for a reason of its own, canceled, or unfinished (transient faults outlasted it).</summary>
    private abstract record Attempt
    {
        public sealed record Done(IReadOnlyList<StagedArtifact> Outputs) : Attempt;
        public sealed record Failed(string Error) : Attempt;
        public sealed record Stopped : Attempt;
    }

    /// <summary>
    /// Runs the work and promotes its outputs. A transient fault (the artifact store's database
    /// restarting) is not the work's error: the work runs again after a pause, a few times, and
    /// is then left for the queue to start again. Only the work's own errors fail the job.
    /// </summary>
    private async Task<Attempt> WorkAsync(JobDefinition definition, CancellationToken cancellationToken)
    {
        var work = catalog.Get(definition.Kind);
        var job = GrainFactory.GetGrain<IJobGrain>(JobId);
        var settings = new WorkSettings(options.Value.WorkParallelism, ThrottledProgress(job)) { Training = TrainingProgress(job) };
        for (var run = 1; ; run++)
        {
            await artifactStore.DiscardStagingAsync(JobId, CancellationToken.None);
            try
            {
                var running = Task.Run(() => work.RunAsync(definition, artifactStore, settings, cancellationToken), cancellationToken);
                _work = running;
                var outputs = await running;
                // Promote here, on the silo that staged them (small outputs are in its memory), so the
                // outputs are in the store (which every node can read) before the job grain, wherever it
                // lives, commits them. Its own promotion then finds them stored; content-addressing makes that a no-op.
                await TransientRetry.RunAsync(() => artifactStore.PromoteAsync(outputs, cancellationToken), ReportPatience, logger, $"Job {JobId}: promoting its outputs", cancellationToken);
                return new Attempt.Done(outputs);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Job {JobId}: work stopped after cancel", JobId);
                return new Attempt.Stopped();
            }
            catch (Exception ex) when (TransientFaults.IsTransient(ex))
            {
                if (run >= WorkRuns)
                {
                    logger.LogWarning("Job {JobId}: work met transient faults {Runs} times; the queue will start it again: {Error}", JobId, run, ex.GetBaseException().Message);
                    await artifactStore.DiscardStagingAsync(JobId, CancellationToken.None);
                    return new Attempt.Stopped();
                }
                logger.LogWarning("Job {JobId}: work met a transient fault, running it again: {Error}", JobId, ex.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(run), cancellationToken);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Job {JobId}: work failed", JobId);
                // What the attempt staged is on this silo (small outputs in its memory): discarded here,
                // whichever silo the job grain that records the failure lives on.
                await artifactStore.DiscardStagingAsync(JobId, CancellationToken.None);
                return new Attempt.Failed(Describe(ex));
            }
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

    /// <summary>Reports each finished epoch (epochs take far longer than the row reports' interval).</summary>
    private static Action<Engine.Synthesis.Models.TrainingProgress> TrainingProgress(IJobGrain job) => progress =>
        _ = job.ReportTrainingAsync(new JobTraining { Epoch = progress.Epoch, Epochs = progress.Epochs, Losses = progress.Losses });

    private static string Describe(Exception ex) => ex switch
    {
        ContractException => ex.Message,
        Engine.Datasets.DatasetException => $"the dataset cannot be read: {ex.Message}",
        InvalidDataException => $"the stored bytes do not match their digest: {ex.Message}",
        IOException => $"storage error: {ex.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
