using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using RadMah.Artifacts;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Placement;
using RadMah.Grains.Storage;
using RadMah.Grains.Telemetry;

namespace RadMah.Grains.Jobs;

/// <summary>
/// The job state machine and its success commit. Success is reached only after, in order:
/// outputs and the signed evidence bundle stored → seal appended → hold captured; each step is
/// idempotent, so a commit resumed after a crash repeats whatever its saved state does not show done.
/// Failed and canceled jobs release their hold and leave no seal, debit or artifact behind.
/// A queued or running job is always in its tier's queue (waiting, or holding a slot), and the
/// queue keeps work moving after a crash (<see cref="Queues.JobQueueGrain"/>); the job itself needs
/// no timer or reminder.
/// </summary>
public sealed class JobGrain(
    [PersistentState("job", RadMahStorage.Name)] IPersistentState<JobState> state,
    IArtifactStore artifactStore,
    ICheckpointStore checkpoints,
    JobEvidence evidence,
    JobCommitter committer,
    IOptions<RadMahSiloOptions> options,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private static readonly TimeSpan MaxLongPoll = TimeSpan.FromSeconds(20);

    private readonly ChangeSignal _changed = new();
    private long _rowsDone;
    private JobTraining? _training;
    private IGrainTimer? _leaveTimer;

    /// <summary>
    /// The job as last written to storage (plus progress). Reads interleave with a turn that is
    /// waiting on storage or on a commit, so they must never see a change that is not yet durable.
    /// </summary>
    private JobView? _saved;

    private string JobId => this.GetPrimaryKeyString();
    private JobState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Definition is not null) _saved = View();
        if (S.Status.IsTerminal()) LeaveMemorySoon();
        // A commit interrupted by a crash or deactivation picks up where it stopped.
        if (S.Definition is not null && S.Status == JobStatus.Running && S.CommitPending)
        {
            logger.LogInformation("Job {JobId}: resuming an interrupted commit", JobId);
            try
            {
                await CommitAsync();
            }
            catch (Exception ex)
            {
                // Right after a silo dies, another activation of this job may be committing too (its
                // write wins, this one's is refused), or a grain it calls is still being recovered.
                // Reading the job must not fail for that: the queue starts the job again, and its
                // attempt finishes the commit (BeginAttemptAsync).
                logger.LogWarning(ex, "Job {JobId}: the resumed commit did not finish; the queue will resume it", JobId);
            }
        }
    }

    public async Task<JobView> InitializeAsync(JobDefinition definition)
    {
        if (!Create(definition)) return View();
        await SaveAsync();
        return View();
    }

    public async Task<JobView> EnqueueAsync()
    {
        RequireDefinition();
        Move(JobStatus.Queued);
        await SaveAsync();
        await QueueAsync();
        return View();
    }

    public async Task<JobView> SubmitAsync(JobDefinition definition)
    {
        if (!Create(definition)) return View();
        Move(JobStatus.Queued);
        await SaveAsync();
        await QueueAsync();
        return View();
    }

    /// <summary>Records the definition in state created (not yet saved); false when this exact job already exists.</summary>
    private bool Create(JobDefinition definition)
    {
        if (definition.JobId != JobId)
            throw new RadMahException(RadMahException.InvalidArgument, $"definition is for {definition.JobId}, not {JobId}.", "job_id");
        if (S.Definition is not null)
        {
            if (S.Definition == definition) return false;
            throw new RadMahException(RadMahException.FailedPrecondition, $"job {JobId} already exists.");
        }
        S.Definition = definition;
        S.Status = JobStatus.Created;
        S.History.Add(new JobTransition(JobStatus.Created, DateTime.UtcNow));
        logger.LogInformation("Job {JobId}: created ({Kind}, {Rows} rows) for {AccountId}", JobId, definition.Kind, definition.Rows, definition.AccountId);
        return true;
    }

    /// <summary>The queue persists its line: from here on it gets the job started, and started again after a crash.</summary>
    private Task QueueAsync() => GrainFactory.GetGrain<IJobQueueGrain>(S.Definition!.Tier).EnqueueAsync(JobId);

    public Task<JobView> GetAsync() => Task.FromResult(Saved());

    public Task<JobDefinition> GetDefinitionAsync() => Task.FromResult(RequireDefinition());

    public async Task<JobView> WaitForChangeAsync(long knownVersion, TimeSpan maxWait)
    {
        var view = Saved();
        if (maxWait > MaxLongPoll) maxWait = MaxLongPoll;
        if (view.Version != knownVersion || view.Status.IsTerminal() || maxWait <= TimeSpan.Zero) return view;
        var changed = _changed.Next;
        await Task.WhenAny(changed, Task.Delay(maxWait));
        return Saved();
    }

    public async Task<JobView> CancelAsync()
    {
        RequireDefinition();
        var previous = S.Status;
        Move(JobStatus.Canceled);
        await SaveAsync();
        logger.LogInformation("Job {JobId}: canceled while {Previous}", JobId, previous.ToWire());
        if (previous == JobStatus.Running && S.WorkerSilo is { } worker)
            await GrainFactory.GetGrain<IJobRunnerGrain>(SiloPinnedPlacement.Key(JobId, SiloAddress.FromParsableString(worker))).CancelAsync();
        if (previous is JobStatus.Queued or JobStatus.Running) await GrainFactory.GetGrain<IJobQueueGrain>(S.Definition!.Tier).ReleaseAsync(JobId);
        await AbandonAsync();
        return View();
    }

    public Task<IReadOnlyList<ArtifactRecord>> GetArtifactsAsync()
    {
        RequireDefinition();
        return Task.FromResult<IReadOnlyList<ArtifactRecord>>(S.Status == JobStatus.Succeeded ? S.Artifacts.ToArray() : []);
    }

    public async Task<JobDefinition?> BeginAttemptAsync(string workerSilo)
    {
        var definition = RequireDefinition();
        if (S.Status == JobStatus.Running && S.CommitPending)
        {
            // The queue restarted a job whose work had finished but whose commit was interrupted
            // (its runner could not hear back): finish the commit; there is nothing to run.
            await CommitAsync();
            return null;
        }
        if (S.Status == JobStatus.Running)
        {
            // The queue starts a running job again only after its worker silo left the cluster or its
            // runner ended without reporting back: a new attempt from the same sealed contract, which
            // writes the same bytes.
            logger.LogWarning("Job {JobId}: attempt {Attempt} starts on {Worker} after {Previous} was lost", JobId, S.Attempts + 1, workerSilo, S.WorkerSilo);
        }
        else if (S.Status != JobStatus.Queued) return null;
        else Move(JobStatus.Running);
        S.Attempts++;
        S.WorkerSilo = workerSilo;
        _rowsDone = 0;
        _training = null;
        await SaveAsync();
        return definition;
    }

    // Progress (rows done, a training's epoch) is kept in memory: a resumed attempt reports it again, and storing it would cost a write per report.
    public Task ReportProgressAsync(long rowsDone) =>
        S.Status == JobStatus.Running && rowsDone > _rowsDone ? PublishProgress(rowsDone, _training) : Task.CompletedTask;

    public Task ReportTrainingAsync(JobTraining training) =>
        S.Status == JobStatus.Running && training.Epoch > (_training?.Epoch ?? 0) ? PublishProgress(_rowsDone, training) : Task.CompletedTask;

    private Task PublishProgress(long rowsDone, JobTraining? training)
    {
        (_rowsDone, _training) = (rowsDone, training);
        S.Version++;
        if (_saved is not null) _saved = _saved with { RowsDone = rowsDone, Training = training, Version = S.Version };
        _changed.Raise();
        return Task.CompletedTask;
    }

    public async Task<JobView> CompleteWorkAsync(IReadOnlyList<StagedOutput> outputs)
    {
        var definition = RequireDefinition();
        if (S.Status != JobStatus.Running)
        {
            // Work that finished after a cancel: its outputs are discarded, never published.
            foreach (var key in outputs.Select(o => o.StagingKey).Distinct()) await artifactStore.DiscardStagingAsync(key);
            if (S.Status == JobStatus.Canceled) return View();
            JobStateMachine.EnsureCanMove(JobId, S.Status, JobStatus.Succeeded);
        }
        if (!S.CommitPending)
        {
            S.StagedOutputs = outputs.ToList();
            S.CommitPending = true;
            if (definition.Rows > 0) _rowsDone = definition.Rows;
            // Signed now and saved with the outputs: a resumed commit stores these very bytes.
            var now = DateTime.UtcNow;
            S.Evidence = await evidence.SignAsync(definition, outputs, S.WorkerSilo, S.History.LastOrDefault(t => t.Status == JobStatus.Running)?.AtUtc ?? now, now);
            await SaveAsync();
        }
        await CommitAsync();
        return View();
    }

    public async Task<JobView> FailWorkAsync(string error)
    {
        RequireDefinition();
        if (S.Status == JobStatus.Canceled) return View();
        if (S.Status == JobStatus.Failed)
        {
            // A repeated report (its first reply was lost): finish what the first one may not have.
            await AbandonAsync();
            return View();
        }
        Move(JobStatus.Failed);
        S.Error = string.IsNullOrWhiteSpace(error) ? "the work failed without a message" : error;
        await SaveAsync();
        logger.LogWarning("Job {JobId}: failed: {Error}", JobId, S.Error);
        await AbandonAsync();
        return View();
    }

    private async Task CommitAsync()
    {
        var capturedNow = await committer.RunAsync(S);
        Move(JobStatus.Succeeded);
        S.CommitPending = false;
        // Only a resumed commit needs these; the bundle itself is now an artifact of the job.
        S.StagedOutputs = [];
        S.Evidence = null;
        await SaveAsync();
        if (capturedNow) PlatformMetrics.CreditsCapturedFor(S.Definition!, S.CreditsCharged);
        logger.LogInformation("Job {JobId}: succeeded, {Count} artifacts, {Credits} credits charged", JobId, S.Artifacts.Count, S.CreditsCharged);
    }

    /// <summary>After failure or cancel: release the hold and delete anything the work staged.</summary>
    private async Task AbandonAsync()
    {
        if (!S.HoldReleased)
        {
            await GrainFactory.GetGrain<ICreditLedgerGrain>(S.Definition!.AccountId).ReleaseAsync(JobId);
            S.HoldReleased = true;
            await SaveAsync();
        }
        await artifactStore.DiscardStagingAsync(JobId);
        await checkpoints.ForgetAsync(JobId, logger);
    }

    private void Move(JobStatus to)
    {
        JobStateMachine.EnsureCanMove(JobId, S.Status, to);
        S.Status = to;
        S.History.Add(new JobTransition(to, DateTime.UtcNow));
    }

    private JobDefinition RequireDefinition() =>
        S.Definition ?? throw new RadMahException(RadMahException.NotFound, $"job {JobId} does not exist.", "job_id");

    private async Task SaveAsync()
    {
        S.Version++;
        await state.WriteOrForgetAsync(this);
        var known = _saved?.History.Count ?? 0;
        _saved = View();
        // Metrics count a state once it is durable; an activation that reloads the job starts from what is stored.
        foreach (var transition in S.History.Skip(known))
        {
            PlatformMetrics.JobEntered(transition.Status, S.Definition!);
            if (transition.Status.IsTerminal()) PlatformMetrics.JobFinished(transition.Status, S.Definition!, transition.AtUtc - S.History[0].AtUtc);
        }
        _changed.Raise();
        if (S.Status.IsTerminal()) LeaveMemorySoon();
    }

    /// <summary>A finished job is read back from storage when asked for again; memory is for jobs in flight.</summary>
    private void LeaveMemorySoon() => _leaveTimer ??= this.RegisterGrainTimer(() => { DeactivateOnIdle(); return Task.CompletedTask; },
        new GrainTimerCreationOptions { DueTime = options.Value.FinishedJobLifetime, Period = Timeout.InfiniteTimeSpan, KeepAlive = false });

    private JobView Saved() => _saved ?? throw new RadMahException(RadMahException.NotFound, $"job {JobId} does not exist.", "job_id");

    private JobView View() => S.ToView(JobId, _rowsDone, _training);
}
