using System.Globalization;
using Microsoft.Extensions.Logging;
using RadMah.Engine.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Jobs;
using RadMah.Engine.Mock.Description;
using RadMah.Engine.Pricing;
using RadMah.Engine.Verify;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Queues;
using RadMah.Grains.Records;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Storage;
using RadMah.Grains.Work;

namespace RadMah.Grains.Accounts;

/// <summary>An account and the front door for its jobs: validate, seal, hold, create, queue.</summary>
public sealed class AccountGrain(
    [PersistentState("account", RadMahStorage.Name)] IPersistentState<AccountState> state,
    IPlatformRecords records,
    IArtifactStore artifactStore,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    private AccountRow? _account;

    public const int MaxListLimit = 100;

    private string AccountId => this.GetPrimaryKeyString();
    private ICreditLedgerGrain Ledger => GrainFactory.GetGrain<ICreditLedgerGrain>(AccountId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _account = await records.FindAccountAsync(AccountId, cancellationToken);

    public async Task<AccountView> CreateAsync(string plan, decimal startingCredits, bool testAccount = false)
    {
        if (_account is not null) throw new RadMahException(RadMahException.FailedPrecondition, $"account {AccountId} already exists.");
        return await EnsureCreatedAsync(plan, startingCredits, testAccount);
    }

    public async Task<AccountView> EnsureCreatedAsync(string plan, decimal startingCredits, bool testAccount = false)
    {
        if (_account is not null) return await GetAsync();
        if (!AccountPlan.All.Contains(plan))
            throw new RadMahException(RadMahException.InvalidArgument, $"unknown plan '{plan}'; plans: {string.Join(", ", AccountPlan.All)}.", "plan");
        if (startingCredits < 0) throw new RadMahException(RadMahException.InvalidArgument, "starting credits cannot be negative.", "credits");
        if (decimal.Round(startingCredits, 6) != startingCredits) throw new RadMahException(RadMahException.InvalidArgument, "credits have at most 6 decimals.", "credits");
        var now = DateTime.UtcNow;
        var account = new AccountRow(AccountId, plan, testAccount, now);
        // The account and its starting credits are one transaction: there is never an account whose credits went missing.
        var deposit = startingCredits > 0 ? new LedgerEntry(1, LedgerEntryKind.Deposit, startingCredits, null, "starting credits", now) : null;
        try
        {
            await records.CreateAccountAsync(account, deposit);
        }
        catch (DuplicateRecordException)
        {
            // Created meanwhile (an earlier attempt whose reply was lost): take what the records hold.
            _account = await records.FindAccountAsync(AccountId);
            if (_account is null)
                throw new RadMahException(RadMahException.FailedPrecondition, $"account {AccountId} cannot be created: its ledger already has entries.", "account_id");
            return await GetAsync();
        }
        catch (RecordRuleException ex)
        {
            throw new RadMahException(RadMahException.InvalidArgument, $"account {AccountId} cannot be created: {ex.Rule}.", "account_id");
        }
        _account = account;
        await Ledger.ReloadAsync();
        logger.LogInformation("Account {AccountId} created on plan {Plan} with {Credits} credits", AccountId, plan, startingCredits);
        return await GetAsync();
    }

    public async Task<AccountView> GetAsync()
    {
        var account = RequireExists();
        var balance = await Ledger.GetBalanceAsync();
        return new AccountView(AccountId, account.Plan, account.CreatedAt, balance.Balance, balance.Held, account.TestAccount);
    }

    public async Task<AccountView> TopUpAsync(decimal credits)
    {
        RequireExists();
        await Ledger.DepositAsync(credits, "top-up");
        return await GetAsync();
    }

    public async Task<CreatedApiKey> CreateApiKeyAsync()
    {
        var account = RequireExists();
        var key = ApiKeys.Generate(account.TestAccount);
        var hash = ApiKeys.Hash(key);
        var keyId = ApiKeys.KeyIdOf(hash);
        await GrainFactory.GetGrain<IApiKeyGrain>(hash).RegisterAsync(AccountId);
        logger.LogInformation("Account {AccountId}: API key {KeyId} created", AccountId, keyId);
        return new CreatedApiKey(keyId, key);
    }

    public async Task RevokeApiKeyAsync(string keyId)
    {
        RequireExists();
        var keys = await records.ListApiKeysAsync(AccountId);
        var hash = keys.FirstOrDefault(k => ApiKeys.KeyIdOf(k.KeyHash) == keyId)?.KeyHash
            ?? throw new RadMahException(RadMahException.NotFound, $"account {AccountId} has no key {keyId}.", "key_id");
        await GrainFactory.GetGrain<IApiKeyGrain>(hash).RevokeAsync();
        logger.LogInformation("Account {AccountId}: API key {KeyId} revoked", AccountId, keyId);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync()
    {
        RequireExists();
        var keys = await records.ListApiKeysAsync(AccountId);
        return keys.Select(k => new ApiKeyInfo(ApiKeys.KeyIdOf(k.KeyHash), k.AccountId, k.RevokedAt is not null, k.CreatedAt)).ToArray();
    }

    public async Task<JobView> CreateJobAsync(JobSubmission submission)
    {
        RequireExists();
        if (submission is null) throw new RadMahException(RadMahException.InvalidArgument, "a job request is required.");
        var seed = submission.Seed ?? JobSubmission.DefaultSeed;
        CompiledDescription compiled;
        try
        {
            JobKinds.EnsureAvailable(submission.Kind);
            if (submission.Kind == JobKinds.Verify) return await CreateVerifyJobAsync(submission, seed);
            if (DataJobContract.Kinds.Contains(submission.Kind)) return await CreateDataJobAsync(submission, seed);
            if (submission.DatasetId is not null)
                throw new ContractException($"dataset_id: {submission.Kind} jobs read no dataset; analyze, fit and lift do.");
            if (submission.Kind == JobKinds.Mock && submission.Params is { } p && (p.ContainsKey("contract_job_id") || p.ContainsKey("contract_artifact_id")))
                return await CreateMockFromContractAsync(submission, seed);
            if (submission.Params is { Count: > 0 } extra)
                throw new ContractException(submission.Kind == JobKinds.Mock
                    ? $"params: mock takes contract_job_id or contract_artifact_id (a contract inferred by analyze); unknown: {string.Join(", ", extra.Keys)}."
                    : $"params: {submission.Kind} takes no params; got {string.Join(", ", extra.Keys)}.");
            compiled = DescriptionCompiler.Compile(submission.Description, submission.Rows, seed);
        }
        catch (ContractException ex)
        {
            throw new RadMahException(RadMahException.InvalidArgument, ex.Message, FieldOf(ex.Message));
        }
        var contract = compiled.Contract;
        var sealedContract = contract.Seal();
        return await SubmitAsync(submission.Kind, contract.Rows, contract.Seed, contract.Description, sealedContract,
            CreditPricing.Estimate(contract.Rows, submission.Kind).EstimatedCredits, compiled.Warnings, rerunOf: null, submission.Interactive, inputs: []);
    }

    /// <summary>
    /// verify: params job_id (a succeeded job of this account: its outputs, evidence bundle and seal)
    /// or artifact_ids (comma-separated artifacts of this account). The targets are catalogued into
    /// the sealed contract now; the price is the bytes to check.
    /// </summary>
    private async Task<JobView> CreateVerifyJobAsync(JobSubmission submission, long seed)
    {
        var parameters = submission.Params ?? new Dictionary<string, string>();
        var unknown = parameters.Keys.Where(k => k is not ("job_id" or "artifact_ids")).ToArray();
        if (unknown.Length > 0) throw new ContractException($"params: verify takes job_id or artifact_ids; unknown: {string.Join(", ", unknown)}.");
        if (submission.Rows != 0) throw new ContractException("rows: verify jobs check artifacts and take no rows.");
        var hasJob = parameters.TryGetValue("job_id", out var targetJob) && !string.IsNullOrWhiteSpace(targetJob);
        var hasArtifacts = parameters.TryGetValue("artifact_ids", out var artifactList) && !string.IsNullOrWhiteSpace(artifactList);
        if (hasJob == hasArtifacts) throw new ContractException("params: a verify job takes exactly one of job_id or artifact_ids.");

        IReadOnlyList<ArtifactRecord> artifacts;
        if (hasJob)
        {
            artifacts = await SucceededJobArtifactsAsync(targetJob!, "only succeeded jobs have artifacts and evidence to verify");
        }
        else
        {
            var ids = artifactList!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > VerifyContract.MaxTargets) throw new ContractException($"params: a verify job checks at most {VerifyContract.MaxTargets} artifacts; got {ids.Length}.");
            var found = new List<ArtifactRecord>();
            foreach (var id in ids)
            {
                found.Add(await OwnedArtifactAsync(id));
            }
            artifacts = found;
        }
        var contract = new VerifyContract(hasJob ? targetJob : null,
            artifacts.Select(a => new VerifyTarget(a.Id, a.Name, a.ArtifactType, a.ContentHash, a.SizeBytes)).ToArray());
        return await SubmitVerifyAsync(contract, seed, rerunOf: null);
    }

    /// <summary>
    /// analyze, fit, lift: the job reads the dataset named by dataset_id, an upload of this
    /// account. The input is fixed by digest in the sealed contract (a rerun reads the same bytes);
    /// the remaining params are the kind's options; the price is the input's size.
    /// </summary>
    private async Task<JobView> CreateDataJobAsync(JobSubmission submission, long seed)
    {
        if (submission.Rows != 0) throw new ContractException($"rows: {submission.Kind} jobs read their dataset and take no rows.");
        if (!string.IsNullOrEmpty(submission.Description)) throw new ContractException($"description: {submission.Kind} jobs read a dataset and take no description.");
        var options = new Dictionary<string, string>(submission.Params ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        DataInput input;
        // fit may also read a sealed job's output (params.job_id) or any table artifact of the account (params.artifact_id).
        string? sourceJob = null, sourceArtifact = null;
        var fromJob = submission.Kind == JobKinds.Fit && options.Remove("job_id", out sourceJob);
        var fromArtifact = submission.Kind == JobKinds.Fit && options.Remove("artifact_id", out sourceArtifact);
        var sources = (fromJob ? 1 : 0) + (fromArtifact ? 1 : 0) + (string.IsNullOrEmpty(submission.DatasetId) ? 0 : 1);
        if (sources > 1) throw new ContractException("dataset_id: a fit job reads one input: dataset_id, params.job_id or params.artifact_id.");
        if (fromJob) input = await JobOutputInputAsync(sourceJob!);
        else if (fromArtifact) input = await ArtifactInputAsync(sourceArtifact!);
        else if (string.IsNullOrEmpty(submission.DatasetId))
            throw new ContractException(submission.Kind == JobKinds.Fit
                ? "dataset_id: a fit job needs an input: dataset_id, params.job_id (a succeeded job's rows) or params.artifact_id."
                : $"dataset_id: {submission.Kind} jobs need a dataset_id (upload one with POST /v1/datasets).");
        else
        {
            var dataset = await OwnedDatasetAsync(submission.DatasetId);
            input = new DataInput(dataset.ArtifactId, dataset.Name, dataset.Format, dataset.ContentHash, dataset.SizeBytes, dataset.Id, null);
        }
        IReadOnlyList<DataInput> compared = [];
        if (options.Remove("compare_with", out var compareWith))
        {
            if (submission.Kind != JobKinds.Analyze) throw new ContractException($"params: compare_with is for analyze jobs, not {submission.Kind}.");
            compared = await ComparedDatasetsAsync(compareWith, input.DatasetId);
        }
        var contract = new DataJobContract(submission.Kind, input, seed, options) { Compared = compared };
        return await SubmitDataAsync(contract, rerunOf: null);
    }

    /// <summary>
    /// compare_with: "all" (every other dataset of the account, newest first, up to 20) or dataset
    /// ids separated by commas, each an upload of this account other than the analyzed one.
    /// </summary>
    private async Task<IReadOnlyList<DataInput>> ComparedDatasetsAsync(string value, string? analyzed)
    {
        IReadOnlyList<DatasetRecord> datasets;
        if (value.Trim() == "all")
            datasets = [.. (await records.ListDatasetsAsync(AccountId)).Where(d => d.Id != analyzed).Take(DataJobContract.MaxCompared)];
        else
        {
            var ids = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length == 0) throw new ContractException("params: compare_with names no dataset (give dataset ids separated by commas, or all).");
            if (ids.Length > DataJobContract.MaxCompared) throw new ContractException($"params: compare_with names at most {DataJobContract.MaxCompared} datasets; got {ids.Length}.");
            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length) throw new ContractException("params: compare_with names a dataset twice.");
            if (ids.Contains(analyzed)) throw new ContractException("params: compare_with names the analyzed dataset itself.");
            var found = new List<DatasetRecord>();
            foreach (var id in ids)
            {
                try
                {
                    found.Add(await OwnedDatasetAsync(id));
                }
                catch (RadMahException ex)
                {
                    throw new RadMahException(ex.Code, ex.Message, "params");
                }
            }
            datasets = found;
        }
        return [.. datasets.Select(d => new DataInput(d.ArtifactId, d.Name, d.Format, d.ContentHash, d.SizeBytes, d.Id, null))];
    }

    /// <summary>The rows a succeeded job of this account wrote: its Arrow file (typed) or else its CSV.</summary>
    private async Task<DataInput> JobOutputInputAsync(string jobId)
    {
        var artifacts = await SucceededJobArtifactsAsync(jobId, "only a succeeded (sealed) job's output can be fitted");
        var table = artifacts.FirstOrDefault(a => a.ArtifactType == MockWork.ArrowType) ?? artifacts.FirstOrDefault(a => a.ArtifactType == MockWork.CsvType)
            ?? throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} wrote no table ({MockWork.ArrowType} or {MockWork.CsvType}) to fit.", "params");
        return new DataInput(table.Id, table.Name, table.ArtifactType == MockWork.ArrowType ? "arrow" : "csv", table.ContentHash, table.SizeBytes, null, jobId);
    }

    /// <summary>The artifacts of a succeeded job of this account named in params; <paramref name="why"/> says why other states are refused.</summary>
    private async Task<IReadOnlyList<ArtifactRecord>> SucceededJobArtifactsAsync(string jobId, string why)
    {
        if (!Ids.LooksLikeJobId(jobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{jobId}' is not a job id.", "params");
        var job = GrainFactory.GetGrain<IJobGrain>(jobId);
        var view = await OwnedJobViewAsync(jobId, "params");
        if (view.Status != JobStatus.Succeeded)
            throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} is {view.Status.ToWire()}; {why}.", "params");
        return await job.GetArtifactsAsync();
    }

    private async Task<DataInput> ArtifactInputAsync(string artifactId)
    {
        var artifact = await OwnedArtifactAsync(artifactId);
        var format = artifact.ArtifactType switch
        {
            MockWork.ArrowType => "arrow",
            MockWork.CsvType => "csv",
            DatasetRecord.ArtifactType => (await OwnedDatasetAsync(artifact.JobId)).Format,
            _ => throw new RadMahException(RadMahException.FailedPrecondition, $"artifact {artifactId} is a {artifact.ArtifactType}, not a table (a dataset, dataset.csv or dataset.arrow).", "params"),
        };
        return new DataInput(artifact.Id, artifact.Name, format, artifact.ContentHash, artifact.SizeBytes,
            artifact.ArtifactType == DatasetRecord.ArtifactType ? artifact.JobId : null, artifact.ArtifactType == DatasetRecord.ArtifactType ? null : artifact.JobId);
    }

    private Task<JobView> SubmitDataAsync(DataJobContract contract, string? rerunOf)
    {
        var sealedContract = contract.Seal();
        // Compared datasets are read too: they are inputs, priced and named in the evidence like the first.
        return SubmitAsync(contract.Kind, 0, contract.Seed, $"{contract.Kind} {contract.Input.Name}", sealedContract,
            CreditPricing.EstimateData(contract.Input.SizeBytes + contract.Compared.Sum(c => c.SizeBytes)),
            [], rerunOf, interactive: false, [.. new[] { contract.Input }.Concat(contract.Compared).Select(i => new JobInput(i.Name, i.ContentHash))]);
    }

    /// <summary>
    /// mock from a sealed contract instead of a description: contract_job_id names a succeeded
    /// analyze job of this account (its inferred contract.json), contract_artifact_id any contract
    /// artifact of the account. rows defaults to the contract's; the seed is the request's.
    /// </summary>
    private async Task<JobView> CreateMockFromContractAsync(JobSubmission submission, long seed)
    {
        var parameters = submission.Params!;
        if (parameters.Count != 1) throw new ContractException("params: give one of contract_job_id or contract_artifact_id, and nothing else.");
        if (!string.IsNullOrEmpty(submission.Description)) throw new ContractException("description: a mock job from a contract takes no description; the contract defines the columns.");
        ArtifactRecord artifact;
        if (parameters.TryGetValue("contract_job_id", out var jobId))
        {
            artifact = (await SucceededJobArtifactsAsync(jobId, "its contract exists once it has succeeded")).FirstOrDefault(a => a.ArtifactType == AnalyzeWork.ContractType)
                ?? throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId} produced no contract (analyze jobs do).", "params");
        }
        else
        {
            artifact = await OwnedArtifactAsync(parameters["contract_artifact_id"]);
            if (artifact.ArtifactType != AnalyzeWork.ContractType)
                throw new RadMahException(RadMahException.FailedPrecondition, $"artifact {artifact.Id} is a {artifact.ArtifactType}, not a contract.", "params");
        }
        if (artifact.SizeBytes > 16 * 1024 * 1024)
            throw new RadMahException(RadMahException.FailedPrecondition, $"contract {artifact.Id} is larger than 16 MB.", "params");
        string json;
        await using (var stream = artifactStore.OpenRead(artifact.ContentHash))
        using (var reader = new StreamReader(stream))
            json = await reader.ReadToEndAsync();
        var contract = MockContract.Parse(json);
        var rows = submission.Rows == 0 ? contract.Rows : submission.Rows;
        contract = contract.With(rows, seed);
        var sealedContract = contract.Seal();
        return await SubmitAsync(JobKinds.Mock, contract.Rows, contract.Seed, contract.Description, sealedContract,
            CreditPricing.Estimate(contract.Rows, JobKinds.Mock).EstimatedCredits, [], rerunOf: null, submission.Interactive, inputs: [new JobInput(artifact.Name, artifact.ContentHash)]);
    }

    /// <summary>An artifact of this account named in params; another account's is answered like a missing one.</summary>
    private async Task<ArtifactRecord> OwnedArtifactAsync(string artifactId)
    {
        if (!Ids.LooksLikeArtifactId(artifactId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{artifactId}' is not an artifact id.", "params");
        ArtifactRecord artifact;
        try
        {
            artifact = await GrainFactory.GetGrain<IArtifactGrain>(artifactId).GetAsync();
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
        {
            throw new RadMahException(RadMahException.NotFound, $"artifact {artifactId} does not exist.", "params");
        }
        if (artifact.AccountId != AccountId) throw new RadMahException(RadMahException.NotFound, $"artifact {artifactId} does not exist.", "params");
        return artifact;
    }

    public async Task<DatasetRecord> AddDatasetAsync(DatasetRecord dataset)
    {
        RequireExists();
        if (dataset.AccountId != AccountId) throw new RadMahException(RadMahException.InvalidArgument, $"dataset {dataset.Id} is for account {dataset.AccountId}.", "account_id");
        if (!Ids.LooksLikeDatasetId(dataset.Id)) throw new RadMahException(RadMahException.InvalidArgument, $"'{dataset.Id}' is not a dataset id.", "dataset_id");
        DatasetNames.Validate(dataset.Name);
        if (!DatasetFormatNames.TryParse(dataset.Format, out var format) || format.ToWire() != dataset.Format)
            throw new RadMahException(RadMahException.InvalidArgument, $"'{dataset.Format}' is not a dataset format; formats: {string.Join(", ", DatasetFormatNames.All)}.", "format");
        if (dataset.SizeBytes <= 0) throw new RadMahException(RadMahException.InvalidArgument, "a dataset cannot be empty.", "content");
        if (dataset.ArtifactId != Ids.ArtifactId(dataset.Id, dataset.Name))
            throw new RadMahException(RadMahException.InvalidArgument, $"dataset {dataset.Id} names artifact {dataset.ArtifactId}, not its own.", "artifact_id");
        if (!artifactStore.Contains(dataset.ContentHash))
            throw new RadMahException(RadMahException.FailedPrecondition, $"the store holds no bytes with digest {dataset.ContentHash}.", "content_hash");
        var artifact = new ArtifactRecord
        {
            Id = dataset.ArtifactId,
            JobId = dataset.Id,
            AccountId = AccountId,
            ArtifactType = DatasetRecord.ArtifactType,
            ContentHash = dataset.ContentHash,
            SizeBytes = dataset.SizeBytes,
            MediaType = format.MediaType(),
            Name = dataset.Name,
            CreatedAt = dataset.CreatedAt,
        };
        try
        {
            await records.AddDatasetAsync(dataset, artifact);
        }
        catch (DuplicateRecordException)
        {
            // Recorded before (a retry whose first reply was lost): the same record is fine, another is not.
            var stored = await records.FindDatasetAsync(dataset.Id);
            if (stored is null || stored with { CreatedAt = dataset.CreatedAt } != dataset)
                throw new RadMahException(RadMahException.FailedPrecondition, $"dataset {dataset.Id} already exists with other content.", "dataset_id");
            return stored;
        }
        logger.LogInformation("Account {AccountId}: dataset {DatasetId} ({Format}, {Bytes} bytes) uploaded", AccountId, dataset.Id, dataset.Format, dataset.SizeBytes);
        return dataset;
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync()
    {
        RequireExists();
        return await records.ListDatasetsAsync(AccountId);
    }

    public async Task<DatasetRecord> GetDatasetAsync(string datasetId)
    {
        RequireExists();
        return await OwnedDatasetAsync(datasetId);
    }

    private async Task<DatasetRecord> OwnedDatasetAsync(string datasetId)
    {
        if (!Ids.LooksLikeDatasetId(datasetId))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{datasetId}' is not a dataset id (ds_ followed by 20 characters).", "dataset_id");
        var dataset = await records.FindDatasetAsync(datasetId);
        // Another account's dataset is answered exactly like a missing one.
        if (dataset is null || dataset.AccountId != AccountId)
            throw new RadMahException(RadMahException.NotFound, $"dataset {datasetId} does not exist.", "dataset_id");
        return dataset;
    }

    private Task<JobView> SubmitVerifyAsync(VerifyContract contract, long seed, string? rerunOf)
    {
        var sealedContract = contract.Seal();
        var description = contract.TargetJobId is { } job ? $"verify job {job}" : $"verify {contract.Targets.Count} artifacts";
        return SubmitAsync(JobKinds.Verify, 0, seed, description, sealedContract, CreditPricing.EstimateVerify(contract.TotalBytes), [], rerunOf,
            interactive: false, contract.Targets.Select(t => new JobInput(t.Name, t.ContentHash)).ToArray());
    }

    public async Task<JobView> RerunJobAsync(string jobId)
    {
        RequireExists();
        await OwnedJobViewAsync(jobId, "job_id");
        var original = await GrainFactory.GetGrain<IJobGrain>(jobId).GetDefinitionAsync();
        if (DataJobContract.Kinds.Contains(original.Kind))
        {
            var data = DataJobContract.Parse(original.ContractJson);
            if (data.Seal().Digest != original.ContractDigest)
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId}'s stored contract no longer matches its digest.");
            return await SubmitDataAsync(data, rerunOf: jobId);
        }
        if (original.Kind == JobKinds.Verify)
        {
            var verify = VerifyContract.Parse(original.ContractJson);
            if (verify.Seal().Digest != original.ContractDigest)
                throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId}'s stored contract no longer matches its digest.");
            return await SubmitVerifyAsync(verify, original.Seed, rerunOf: jobId);
        }
        var contract = MockContract.Parse(original.ContractJson);
        var sealedContract = contract.Seal();
        if (sealedContract.Digest != original.ContractDigest)
            throw new RadMahException(RadMahException.FailedPrecondition, $"job {jobId}'s stored contract no longer matches its digest.");
        return await SubmitAsync(original.Kind, contract.Rows, contract.Seed, contract.Description, sealedContract,
            CreditPricing.Estimate(contract.Rows, original.Kind).EstimatedCredits, original.Warnings, rerunOf: jobId, interactive: original.Tier == QueueTiers.Interactive, inputs: original.Inputs);
    }

    public async Task<JobPage> ListJobsAsync(int limit, string? pageToken)
    {
        RequireExists();
        if (limit < 1 || limit > MaxListLimit)
            throw new RadMahException(RadMahException.InvalidArgument, $"limit must be between 1 and {MaxListLimit}; got {limit}.", "limit");
        // The token is the position, in creation order, just past the next page's newest job. The
        // index only grows at its end, so pages stay put while new jobs are created between calls
        // (an offset from the newest would shift and repeat jobs).
        var total = IndexedJobCount;
        var end = total;
        if (!string.IsNullOrEmpty(pageToken) && (!int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < 1 || end > total))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{pageToken}' is not a page token from this listing.", "page_token");
        var start = Math.Max(0, end - limit);
        var page = await IndexedJobIdsAsync(start, end);
        var views = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<IJobGrain>(id).GetAsync()));
        return new JobPage(views, start > 0 ? start.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<bool> OwnsJobAsync(string jobId) =>
        _account is not null && Ids.LooksLikeJobId(jobId) && await GrainFactory.GetGrain<IJobGrain>(jobId).ViewIfOwnedByAsync(AccountId) is not null;

    /// <summary>The job's view when it belongs to this account; not_found otherwise, exactly as for no job.</summary>
    private async Task<JobView> OwnedJobViewAsync(string jobId, string field) =>
        await GrainFactory.GetGrain<IJobGrain>(jobId).ViewIfOwnedByAsync(AccountId)
        ?? throw new RadMahException(RadMahException.NotFound, $"job {jobId} does not exist.", field);

    private static int ChunkSize => IAccountJobChunkGrain.ChunkSize;

    /// <summary>Jobs in the index: the closed chunks, then the open end in this grain's state.</summary>
    private int IndexedJobCount => state.State.ClosedChunks * ChunkSize + state.State.JobIds.Count;

    /// <summary>The indexed jobs at positions [start, end) of creation order, newest first.</summary>
    private async Task<string[]> IndexedJobIdsAsync(int start, int end)
    {
        var closedEnd = state.State.ClosedChunks * ChunkSize;
        var chunks = new Dictionary<int, IReadOnlyList<string>>();
        for (var number = start / ChunkSize; number * ChunkSize < Math.Min(end, closedEnd); number++)
            chunks[number] = await GrainFactory.GetGrain<IAccountJobChunkGrain>(IAccountJobChunkGrain.KeyOf(AccountId, number)).GetAsync();
        var ids = new string[end - start];
        for (var i = 0; i < ids.Length; i++)
        {
            var position = end - 1 - i;
            ids[i] = position >= closedEnd ? state.State.JobIds[position - closedEnd] : chunks[position / ChunkSize][position % ChunkSize];
        }
        return ids;
    }

    /// <summary>
    /// Moves full chunks from the front of the open end into chunk grains, so that the state this
    /// grain writes for every new job stays small. Each chunk is stored before this grain's state
    /// forgets it; a close interrupted in between is repeated with the same ids, which the chunk accepts.
    /// The caller writes the state.
    /// </summary>
    private async Task CloseFullChunksAsync()
    {
        while (state.State.JobIds.Count >= ChunkSize)
        {
            var chunk = state.State.JobIds.GetRange(0, ChunkSize);
            await GrainFactory.GetGrain<IAccountJobChunkGrain>(IAccountJobChunkGrain.KeyOf(AccountId, state.State.ClosedChunks)).StoreAsync(chunk);
            state.State.JobIds.RemoveRange(0, ChunkSize);
            state.State.ClosedChunks++;
        }
    }

    private async Task<JobView> SubmitAsync(string kind, long rows, long seed, string description, SealedContract sealedContract, decimal credits,
        IReadOnlyList<string> warnings, string? rerunOf, bool interactive, IReadOnlyList<JobInput> inputs)
    {
        var jobId = Ids.NewJobId();
        var definition = new JobDefinition
        {
            JobId = jobId,
            AccountId = AccountId,
            Kind = kind,
            Rows = rows,
            Seed = seed,
            Description = description,
            ContractJson = sealedContract.CanonicalJson,
            ContractDigest = sealedContract.Digest,
            CreditsHeld = credits,
            Warnings = warnings,
            RerunOf = rerunOf,
            Tier = QueueRouting.TierFor(kind, RequireExists().Plan, rows, interactive),
            Inputs = inputs,
        };

        // Before anything is held: a failure to close a chunk leaves nothing behind.
        await CloseFullChunksAsync();
        // Hold first: a refusal for want of credits must leave no job behind.
        await Ledger.HoldAsync(jobId, credits);
        var job = GrainFactory.GetGrain<IJobGrain>(jobId);
        // The job and the account's list of jobs are written side by side. Nothing can read the list
        // in between: this grain handles one request at a time.
        state.State.JobIds.Add(jobId);
        var submitted = job.SubmitAsync(definition);
        var listed = state.WriteOrForgetAsync(this);
        try
        {
            await Task.WhenAll(submitted, listed);
            return await submitted;
        }
        catch
        {
            state.State.JobIds.Remove(jobId);
            // Whatever part of the job exists is canceled, which releases its hold; a job that was
            // never created only has its hold to release.
            try
            {
                await job.CancelAsync();
            }
            catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
            {
                await Ledger.ReleaseAsync(jobId);
            }
            if (listed.IsCompletedSuccessfully) await state.WriteOrForgetAsync(this);
            throw;
        }
    }

    private AccountRow RequireExists() =>
        _account ?? throw new RadMahException(RadMahException.NotFound, $"account {AccountId} does not exist.", "account_id");

    private static string? FieldOf(string message) =>
        message.StartsWith("rows", StringComparison.Ordinal) ? "rows"
        : message.StartsWith("seed", StringComparison.Ordinal) ? "seed"
        : message.StartsWith("description", StringComparison.Ordinal) ? "description"
        : message.StartsWith("params", StringComparison.Ordinal) ? "params"
        : message.StartsWith("dataset_id", StringComparison.Ordinal) ? "dataset_id"
        : message.Contains("kind", StringComparison.Ordinal) ? "kind"
        : null;
}
