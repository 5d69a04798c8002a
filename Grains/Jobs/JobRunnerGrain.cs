using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using RadMah.Engine.Artifacts;
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
        try
        {
            _cancel?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run finished and released everything itself.
        }
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
        try
        {
            // Wait for this silo's CPU (interactive first, then default, then free); the job stays queued meanwhile.
            _turn = computeGate.EnterAsync(tier, cancel.Token);
            using var turn = await _turn;
            var definition = await job.BeginAttemptAsync(silo.SiloAddress.ToParsableString());
            if (definition is null) return;
            await artifactStore.DiscardStagingAsync(JobId);
            var work = catalog.Get(definition.Kind);
            var settings = new WorkSettings(options.Value.WorkParallelism, ThrottledProgress(job));
            var running = Task.Run(() => work.RunAsync(definition, artifactStore, settings, cancel.Token), cancel.Token);
            _work = running;
            IReadOnlyList<StagedOutput> outputs;
            try
            {
                outputs = await running;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                logger.LogInformation("Job {JobId}: work stopped after cancel", JobId);
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Job {JobId}: work failed", JobId);
                await job.FailWorkAsync(Describe(ex));
                return;
            }
            // Promote here, on the silo whose disk holds the staged files, so the outputs are in the
            // store (which every node can read) before the job grain, wherever it lives, commits them.
            // Its own promotion then finds them stored; content-addressing makes that a no-op.
            foreach (var output in outputs)
                await artifactStore.PromoteAsync(new StagedArtifact(output.StagingKey, output.Name, output.ArtifactType, output.MediaType, output.ContentHash, output.SizeBytes));
            await job.CompleteWorkAsync(outputs);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            logger.LogInformation("Job {JobId}: canceled while waiting for the CPU", JobId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job {JobId}: runner could not finish the attempt", JobId);
        }
        finally
        {
            // Not running any more, whatever happens next: the queue asks this before it restarts the job.
            _started = false;
            try
            {
                await GrainFactory.GetGrain<IJobQueueGrain>(tier).ReleaseAsync(JobId);
            }
            catch (Exception ex)
            {
                // The job's watch reminder asks the queue again; the queue then sees no runner at work here.
                logger.LogWarning(ex, "Job {JobId}: could not free its slot in {Tier}", JobId, tier);
            }
            DeactivateOnIdle();
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
