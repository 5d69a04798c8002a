using Microsoft.Extensions.Logging;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Grains.Accounts;
using RadMah.Grains.Faults;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Queues;
using RadMah.Grains.Records;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Submission;

/// <summary>
/// An account's jobs: every submission and rerun goes through here (the kind seals the contract,
/// the ledger holds its credits, the job is created and queued), and the account's index of its
/// jobs lives here, so a job is listed exactly when it exists. Nothing here knows a kind: the
/// kind's own object (<see cref="IJobKind"/>) does.
/// </summary>
public sealed class AccountJobsGrain(
    [PersistentState("jobindex", RadMahStorage.Name)] IPersistentState<JobIndexState> state,
    JobKindCatalog kinds,
    IPlatformRecords records,
    IArtifactStore artifactStore,
    ILogger<AccountJobsGrain> logger) : Grain, IAccountJobsGrain
{
    /// <summary>How long undoing a failed submission keeps trying before it leaves the hold to the ledger's sweep.</summary>
    private static readonly TimeSpan CompensationPatience = TimeSpan.FromSeconds(3);

    /// <summary>How often an active account deletes its expired idempotency keys.</summary>
    private static readonly TimeSpan KeySweepPeriod = TimeSpan.FromHours(1);

    private AccountRecord? _account;

    private string AccountId => this.GetPrimaryKeyString();
    private AccountRecord Account => _account ??= new AccountRecord(records, AccountId);
    private JobIndex Index => new(state.State, GrainFactory, AccountId);
    private IdempotencyKeyClaims Keys => new(records, AccountId, logger);
    private ICreditLedgerGrain Ledger => GrainFactory.GetGrain<ICreditLedgerGrain>(AccountId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() => Keys.SweepQuietlyAsync(), new GrainTimerCreationOptions { DueTime = TimeSpan.FromMinutes(1), Period = KeySweepPeriod, KeepAlive = false });
        return Task.CompletedTask;
    }

    public async Task<JobView> CreateJobAsync(JobSubmission submission, string? idempotencyKey = null)
    {
        var account = await Account.RequireAsync();
        if (submission is null) throw new RadMahException(RadMahException.InvalidArgument, "a job request is required.");
        if (idempotencyKey is null) return await CreateAsync(account, submission, Ids.NewJobId());
        IdempotencyKeys.Validate(idempotencyKey);
        var fingerprint = IdempotencyKeyClaims.Fingerprint(submission);
        // Two rounds at most: the second when the key named a job that was never created.
        for (var round = 1; ; round++)
        {
            var jobId = Ids.NewJobId();
            var claim = await Keys.ClaimAsync(idempotencyKey, fingerprint, jobId);
            if (claim.JobId == jobId)
            {
                try
                {
                    return await CreateAsync(account, submission, jobId);
                }
                catch
                {
                    await Keys.ReleaseQuietlyAsync(idempotencyKey, jobId);
                    throw;
                }
            }
            if (claim.Fingerprint != fingerprint)
                throw new RadMahException(RadMahException.Conflict,
                    $"the {IdempotencyKeys.Header} '{idempotencyKey}' was already used with a different request (job {claim.JobId}); send a new key for a new request.",
                    IdempotencyKeys.Header);
            if (await GrainFactory.GetGrain<IJobGrain>(claim.JobId).ViewIfOwnedByAsync(AccountId) is { } earlier) return earlier;
            if (round == 2) throw new RadMahException(RadMahException.Unavailable, "the job of this idempotency key is being created; retry.");
            // A creation cut short (a crash between claim and job) left the key naming no job: take it over.
            await Keys.ReleaseAsync(idempotencyKey, claim.JobId);
        }
    }

    /// <summary>Validates the request, has its kind seal the contract, and submits the job as <paramref name="jobId"/>.</summary>
    private async Task<JobView> CreateAsync(AccountRow account, JobSubmission submission, string jobId)
    {
        IJobKind kind;
        SealedJob job;
        try
        {
            kind = kinds.Get(string.IsNullOrEmpty(submission.Kind) ? JobKinds.Default : submission.Kind);
            var request = new JobRequest(kind.Name, submission.Rows, submission.Description ?? "", submission.Seed ?? JobSubmission.DefaultSeed,
                submission.Params ?? new Dictionary<string, string>(), submission.DatasetId);
            request.Validate();
            job = await kind.SubmitAsync(request, new AccountInputs(AccountId, GrainFactory, records, artifactStore), CancellationToken.None);
        }
        catch (ContractException ex)
        {
            throw ex.ToPlatformError();
        }
        return await SubmitAsync(new JobDefinition
        {
            JobId = jobId,
            AccountId = AccountId,
            Kind = kind.Name,
            Rows = job.Rows,
            Seed = job.Seed,
            Description = job.Description,
            ContractJson = job.Contract.CanonicalJson,
            ContractDigest = job.Contract.Digest,
            CreditsHeld = job.Terms.Credits,
            // Arrays: what grain state holds must deserialize as the type it was written as.
            Warnings = job.Warnings.ToArray(),
            Tier = QueueRouting.TierFor(job.Terms, account.Plan, job.Rows, submission.Interactive),
            Inputs = job.Inputs.Select(i => new JobInput(i.Name, i.ContentHash)).ToArray(),
        });
    }

    public async Task<JobView> RerunJobAsync(string jobId)
    {
        var account = await Account.RequireAsync();
        var job = GrainFactory.GetGrain<IJobGrain>(jobId);
        if (await job.ViewIfOwnedByAsync(AccountId) is null) throw new RadMahException(RadMahException.NotFound, $"job {jobId} does not exist.", "job_id");
        var original = await job.GetDefinitionAsync();
        JobTerms terms;
        try
        {
            // The same sealed contract, checked intact and valid under this build, and priced anew.
            terms = kinds.Get(original.Kind).Reopen(original.ContractJson, original.ContractDigest);
        }
        catch (ContractException ex)
        {
            throw ex.ToPlatformError();
        }
        return await SubmitAsync(original with
        {
            JobId = Ids.NewJobId(),
            CreditsHeld = terms.Credits,
            RerunOf = jobId,
            Tier = QueueRouting.TierFor(terms, account.Plan, original.Rows, original.Tier == QueueTiers.Interactive),
        });
    }

    public async Task<JobPage> ListJobsAsync(int limit, string? pageToken)
    {
        await Account.RequireAsync();
        return await Index.PageAsync(limit, pageToken);
    }

    public async Task<bool> OwnsJobAsync(string jobId) =>
        Ids.LooksLikeJobId(jobId) && await GrainFactory.GetGrain<IJobGrain>(jobId).ViewIfOwnedByAsync(AccountId) is not null;

    /// <summary>
    /// The submission saga: hold the credits, then create and queue the job beside its place in the
    /// index. If that fails, the compensation undoes what it can and never throws: it cancels
    /// whatever part of the job exists (which releases the hold) or, for a job never created,
    /// releases the hold. What cannot be undone now (the cluster or storage is away) is left as an
    /// open hold, which the ledger's sweep settles once it can see the job missing or finished.
    /// </summary>
    private async Task<JobView> SubmitAsync(JobDefinition definition)
    {
        var index = Index;
        // Before anything is held: a failure to close a chunk leaves nothing behind.
        await index.CloseFullChunksAsync();
        // Hold first: a refusal for want of credits must leave no job behind.
        await Ledger.HoldAsync(definition.JobId, definition.CreditsHeld);
        var job = GrainFactory.GetGrain<IJobGrain>(definition.JobId);
        // The job and the index are written side by side. Nothing can read the index in between:
        // this grain handles one request at a time.
        index.Add(definition.JobId);
        var submitted = job.SubmitAsync(definition);
        var listed = state.WriteOrForgetAsync(this);
        try
        {
            await Task.WhenAll(submitted, listed);
            return await submitted;
        }
        catch
        {
            index.Remove(definition.JobId);
            await CompensateAsync(job, definition.JobId);
            if (listed.IsCompletedSuccessfully) await ForgetListedAsync(definition.JobId);
            throw;
        }
    }

    private async Task CompensateAsync(IJobGrain job, string jobId)
    {
        try
        {
            await TransientRetry.RunAsync(() => job.CancelAsync(), CompensationPatience, logger, $"Job {jobId}: undoing a failed submission");
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
        {
            try
            {
                await TransientRetry.RunAsync(() => Ledger.ReleaseAsync(jobId), CompensationPatience, logger, $"Job {jobId}: releasing the hold of a job never created");
            }
            catch (Exception release)
            {
                logger.LogWarning("Job {JobId}: its hold is left for the ledger's sweep: {Error}", jobId, release.GetBaseException().Message);
            }
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.FailedPrecondition)
        {
            // Already canceled or failed, which released the hold.
        }
        catch (Exception ex)
        {
            logger.LogWarning("Job {JobId}: a failed submission could not be undone now; the ledger's sweep settles its hold: {Error}", jobId, ex.GetBaseException().Message);
        }
    }

    /// <summary>Writes the index without a job that failed to be created; a failure here leaves an id the listing skips.</summary>
    private async Task ForgetListedAsync(string jobId)
    {
        try
        {
            await state.WriteOrForgetAsync(this);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Job {JobId}: the index still names this job, which was not created: {Error}", jobId, ex.GetBaseException().Message);
        }
    }
}
