using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RadMah.Engine.Artifacts;
using RadMah.Engine.Evidence;
using RadMah.Grains.Evidence;
using RadMah.Grains.Hosting;
using RadMah.Grains.Placement;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Artifacts;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Interfaces.Seals;
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
    ArtifactCatalog catalog,
    EvidenceSigner signer,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IRemindable
{
    private static readonly TimeSpan MaxLongPoll = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The per-job reminder of earlier versions, which woke a queued or running job every 10 s. Its
    /// registrations and removals cost three reminder-table calls per job and, in bursts, left
    /// reminders running in the reminder service after their removal; the queue now does its work.
    /// One still stored from before is removed the first time it fires.
    /// </summary>
    public const string LegacyWatchReminder = "watch";

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _rowsDone;

    private string JobId => this.GetPrimaryKeyString();
    private JobState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Definition is not null) _saved = View();
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
                // Reading the job must not fail for that: the watch reminder resumes the commit again.
                logger.LogWarning(ex, "Job {JobId}: the resumed commit did not finish; the watch reminder will retry it", JobId);
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
        var changed = _changed.Task;
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
        await SaveAsync();
        return definition;
    }

    public Task ReportProgressAsync(long rowsDone)
    {
        if (S.Status == JobStatus.Running && rowsDone > _rowsDone)
        {
            _rowsDone = rowsDone;
            // Progress is not persisted: it is recomputed by a resumed attempt, and writing it would cost a storage write per report.
            S.Version++;
            if (_saved is not null) _saved = _saved with { RowsDone = rowsDone, Version = S.Version };
            Signal();
        }
        return Task.CompletedTask;
    }

    public async Task<JobView> CompleteWorkAsync(IReadOnlyList<StagedOutput> outputs)
    {
        RequireDefinition();
        if (S.Status != JobStatus.Running)
        {
            // Work that finished after a cancel: its outputs are discarded, never published.
            await DiscardStagedAsync(outputs);
            if (S.Status == JobStatus.Canceled) return View();
            JobStateMachine.EnsureCanMove(JobId, S.Status, JobStatus.Succeeded);
        }
        if (!S.CommitPending)
        {
            S.StagedOutputs = outputs.ToList();
            S.CommitPending = true;
            _rowsDone = S.Definition!.Rows;
            // Signed now and saved with the outputs: a resumed commit stores these very bytes.
            S.Evidence ??= await SignEvidenceAsync(S.Definition, outputs.Select(o => new EvidenceSubject(o.Name, o.ContentHash)).ToArray(), DateTime.UtcNow);
            await SaveAsync();
        }
        await CommitAsync();
        return View();
    }

    public async Task<JobView> FailWorkAsync(string error)
    {
        RequireDefinition();
        if (S.Status == JobStatus.Canceled) return View();
        Move(JobStatus.Failed);
        S.Error = string.IsNullOrWhiteSpace(error) ? "the work failed without a message" : error;
        await SaveAsync();
        logger.LogWarning("Job {JobId}: failed: {Error}", JobId, S.Error);
        await AbandonAsync();
        return View();
    }

    private async Task CommitAsync()
    {
        var definition = S.Definition!;
        if (!S.OutputsStored)
        {
            var now = DateTime.UtcNow;
            var records = new List<ArtifactRecord>();
            foreach (var output in S.StagedOutputs)
            {
                await artifactStore.PromoteAsync(new StagedArtifact(output.StagingKey, output.Name, output.ArtifactType, output.MediaType, output.ContentHash, output.SizeBytes));
                var record = new ArtifactRecord
                {
                    Id = Ids.ArtifactId(JobId, output.Name),
                    JobId = JobId,
                    AccountId = definition.AccountId,
                    ArtifactType = output.ArtifactType,
                    ContentHash = output.ContentHash,
                    SizeBytes = output.SizeBytes,
                    MediaType = output.MediaType,
                    Name = output.Name,
                    CreatedAt = now,
                };
                await catalog.RegisterAsync(record);
                records.Add(record);
            }
            records.Add(await StoreEvidenceAsync(definition, records, now));
            S.Artifacts = records;
            // Saved with the success below, not on its own: a commit resumed before then stores and
            // registers the same content-addressed outputs again, which changes nothing.
            S.OutputsStored = true;
            if (S.StagedOutputs.Count > 0) await artifactStore.DiscardStagingAsync(S.StagedOutputs[0].StagingKey);
        }
        // The seal registry and the ledger answer a repeated call for a job with what they did the
        // first time, so a resumed commit may call them again: what they return is saved once, with
        // the success, rather than after each of them.
        if (!S.Sealed)
        {
            await GrainFactory.GetGrain<ISealRegistryGrain>(ISealRegistryGrain.Global).AppendAsync(new SealRecord
            {
                JobId = JobId,
                Kind = definition.Kind,
                ContractDigest = definition.ContractDigest,
                Seed = definition.Seed,
                Artifacts = S.Artifacts.Where(a => a.ArtifactType != EvidenceArtifactType).Select(a => new SealedArtifact(a.Name, a.ArtifactType, a.ContentHash)).ToArray(),
                EvidenceDigest = S.Artifacts.Single(a => a.ArtifactType == EvidenceArtifactType).ContentHash,
                SealedAt = DateTime.UtcNow,
            });
            S.Sealed = true;
        }
        var capturedNow = !S.Captured;
        if (capturedNow)
        {
            S.CreditsCharged = await GrainFactory.GetGrain<ICreditLedgerGrain>(definition.AccountId).CaptureAsync(JobId);
            S.Captured = true;
        }
        Move(JobStatus.Succeeded);
        S.CommitPending = false;
        // Only a resumed commit needs these; the bundle itself is now an artifact of the job.
        S.StagedOutputs = [];
        S.Evidence = null;
        await SaveAsync();
        if (capturedNow) PlatformMetrics.CreditsCapturedFor(definition, S.CreditsCharged);
        logger.LogInformation("Job {JobId}: succeeded, {Count} artifacts, {Credits} credits charged", JobId, S.Artifacts.Count, S.CreditsCharged);
    }

    public const string EvidenceArtifactType = "evidence.dsse.json";
    public const string EvidenceName = "evidence.dsse.json";

    /// <summary>The job's provenance statement, signed: once per attempt's success (an ECDSA signature differs each time it is made).</summary>
    private async Task<byte[]> SignEvidenceAsync(JobDefinition definition, IReadOnlyList<EvidenceSubject> subjects, DateTime now)
    {
        var statement = ProvenanceStatement.Build(new ProvenanceFacts
        {
            JobId = JobId,
            Kind = definition.Kind,
            ContractDigest = definition.ContractDigest,
            Seed = definition.Seed,
            Rows = definition.Rows,
            Parameters = new Dictionary<string, string> { ["description"] = definition.Description },
            Subjects = subjects,
            Inputs = definition.Inputs.Select(i => new EvidenceSubject(i.Name, i.ContentHash)).ToArray(),
            ClusterId = signer.ClusterId,
            Silo = S.WorkerSilo ?? "unknown",
            StartedOn = S.History.LastOrDefault(t => t.Status == JobStatus.Running)?.AtUtc ?? now,
            FinishedOn = now,
        });
        return Dsse.Sign(Dsse.InTotoPayloadType, statement, await signer.KeyAsync());
    }

    /// <summary>
    /// Stores the evidence signed when the work completed (kept in state before it is stored, so a
    /// resumed commit stores the same bundle) as the job's evidence artifact.
    /// </summary>
    private async Task<ArtifactRecord> StoreEvidenceAsync(JobDefinition definition, IReadOnlyList<ArtifactRecord> outputs, DateTime now)
    {
        if (S.Evidence is null)
        {
            // A commit saved by an earlier version, before evidence was signed with the outputs.
            S.Evidence = await SignEvidenceAsync(definition, outputs.Select(o => new EvidenceSubject(o.Name, o.ContentHash)).ToArray(), now);
            await SaveAsync();
        }
        StagedArtifact staged;
        await using (var stream = artifactStore.OpenStaging(JobId, EvidenceName))
        {
            await stream.WriteAsync(S.Evidence);
            staged = await stream.CompleteAsync(EvidenceArtifactType, "application/json");
        }
        await artifactStore.PromoteAsync(staged);
        var record = new ArtifactRecord
        {
            Id = Ids.ArtifactId(JobId, EvidenceName),
            JobId = JobId,
            AccountId = definition.AccountId,
            ArtifactType = EvidenceArtifactType,
            ContentHash = staged.ContentHash,
            SizeBytes = staged.SizeBytes,
            MediaType = "application/json",
            Name = EvidenceName,
            CreatedAt = now,
        };
        await catalog.RegisterAsync(record);
        return record;
    }

    /// <summary>A reminder stored by an earlier version: removed, after making sure the queue has the job if it still needs work.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LegacyWatchReminder) return;
        if (S.Definition is not null && !S.Status.IsTerminal() && S.Status != JobStatus.Created)
        {
            var queue = GrainFactory.GetGrain<IJobQueueGrain>(S.Definition.Tier);
            if (S.Status == JobStatus.Queued) await queue.EnqueueAsync(JobId);
            else if (S.CommitPending) await CommitAsync();
            else await queue.ResumeAsync(JobId);
        }
        if (await this.GetReminder(LegacyWatchReminder) is { } reminder) await this.UnregisterReminder(reminder);
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
    }

    private async Task DiscardStagedAsync(IReadOnlyList<StagedOutput> outputs)
    {
        foreach (var key in outputs.Select(o => o.StagingKey).Distinct()) await artifactStore.DiscardStagingAsync(key);
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
        Signal();
    }

    /// <summary>
    /// The job as last written to storage (plus progress). Reads interleave with a turn that is
    /// waiting on storage or on a commit, so they must never see a change that is not yet durable.
    /// </summary>
    private JobView? _saved;

    private JobView Saved() => _saved ?? throw new RadMahException(RadMahException.NotFound, $"job {JobId} does not exist.", "job_id");

    private void Signal()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    private JobView View()
    {
        var d = S.Definition!;
        DateTime? At(JobStatus status) => S.History.LastOrDefault(h => h.Status == status)?.AtUtc;
        return new JobView
        {
            Id = JobId,
            AccountId = d.AccountId,
            Kind = d.Kind,
            Status = S.Status,
            Rows = d.Rows,
            Seed = d.Seed,
            Description = d.Description,
            ContractDigest = d.ContractDigest,
            CreatedAt = S.History[0].AtUtc,
            QueuedAt = At(JobStatus.Queued),
            StartedAt = At(JobStatus.Running),
            FinishedAt = S.Status.IsTerminal() ? S.History[^1].AtUtc : null,
            CreditsHeld = S.Status.IsTerminal() ? 0 : d.CreditsHeld,
            CreditsCharged = S.CreditsCharged,
            Error = S.Error,
            Warnings = d.Warnings,
            History = S.History.ToArray(),
            Attempts = S.Attempts,
            RowsDone = S.Status == JobStatus.Succeeded ? d.Rows : _rowsDone,
            Version = S.Version,
            RerunOf = d.RerunOf,
            Tier = d.Tier,
            Worker = S.WorkerSilo,
        };
    }
}
