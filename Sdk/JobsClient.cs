namespace RadMah.Sdk;

/// <summary><c>client.Jobs</c>: create, get, list, cancel and rerun jobs.</summary>
public sealed class JobsClient
{
    private readonly RadMahClient _client;

    internal JobsClient(RadMahClient client) => _client = client;

    /// <summary>Submits a job; the kind defaults to mock and the seed to 42 (on the server). Interactive marks a quick chat-triggered job.</summary>
    public Task<Job> CreateAsync(long rows, string description, string? kind = null, long? seed = null, bool interactive = false, CancellationToken cancellationToken = default) =>
        CreateAsync(new JobRequest { Kind = kind, Rows = rows, Description = description, Seed = seed, Interactive = interactive }, cancellationToken);

    /// <summary>
    /// Submits a job of any kind. Which fields and params a kind takes is the server's to check; its
    /// refusals come back as <see cref="ValidationException"/>. The request carries an idempotency
    /// key (<see cref="JobRequest.IdempotencyKey"/>, or a fresh one), reused by the client's own
    /// retries: a create retried after a lost answer returns the job it created, never a second one.
    /// </summary>
    public async Task<Job> CreateAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        var headers = new Dictionary<string, string> { [IdempotencyKeyHeader] = request.IdempotencyKey ?? Guid.NewGuid().ToString() };
        return new(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, "v1/jobs", request.ToBody(), cancellationToken, Resend.Safe, headers).ConfigureAwait(false));
    }

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// A job over an uploaded dataset (analyze, fit, lift, train, synthesize). <paramref name="parameters"/> are the
    /// kind's options (for analyze: delimiter, header).
    /// </summary>
    public Task<Job> CreateFromDatasetAsync(string kind, string datasetId, IReadOnlyDictionary<string, string>? parameters = null, long? seed = null,
        CancellationToken cancellationToken = default) =>
        CreateAsync(new JobRequest { Kind = kind, DatasetId = datasetId, Params = parameters, Seed = seed }, cancellationToken);

    /// <summary>Analyzes an uploaded dataset: report.html, profile.json and contract.json (the inferred schema).</summary>
    public Task<Job> AnalyzeAsync(string datasetId, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default) =>
        CreateFromDatasetAsync("analyze", datasetId, parameters, cancellationToken: cancellationToken);

    /// <summary>
    /// Look-alike rows: a mock job from the contract an analyze job inferred (the same columns, types,
    /// ranges, categories and frequencies, without training a model). Rows default to the analyzed table's.
    /// </summary>
    public Task<Job> MockFromContractAsync(string analyzeJobId, long? rows = null, long? seed = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new JobRequest { Kind = "mock", Rows = rows, Seed = seed, Params = new Dictionary<string, string> { ["contract_job_id"] = analyzeJobId } }, cancellationToken);

    /// <summary>
    /// Trains a generative model on an uploaded dataset: model.json (the model, to sample with
    /// <see cref="SynthesizeAsync"/>) and its training report. <paramref name="model"/> is the family
    /// (gaussian_copula); <paramref name="parameters"/> the training options (holdout, delimiter, header).
    /// Runs on the gpu tier, priced by training tier.
    /// </summary>
    public Task<Job> TrainAsync(string datasetId, string model = "gaussian_copula", IReadOnlyDictionary<string, string>? parameters = null, long? seed = null,
        CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string>(parameters ?? new Dictionary<string, string>()) { ["model"] = model };
        return CreateFromDatasetAsync("train", datasetId, all, seed, cancellationToken);
    }

    /// <summary>
    /// Synthetic rows from a succeeded train job's model: dataset.csv and dataset.arrow, with
    /// quality-report.json/.html and privacy-report.json sealed with them. Priced by rows.
    /// </summary>
    public Task<Job> SynthesizeAsync(string modelJobId, long rows, long? seed = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new JobRequest { Kind = "synthesize", Rows = rows, Seed = seed, Params = new Dictionary<string, string> { ["model_job_id"] = modelJobId } }, cancellationToken);

    /// <summary>
    /// A verify job: checks a succeeded job's artifacts, evidence bundle and seal (<paramref name="jobId"/>),
    /// or the given artifacts' digests. Its output is verification-report.json.
    /// </summary>
    public Task<Job> VerifyAsync(string? jobId = null, IReadOnlyList<string>? artifactIds = null, CancellationToken cancellationToken = default)
    {
        var parameters = new Dictionary<string, string>();
        if (jobId is not null) parameters["job_id"] = jobId;
        if (artifactIds is not null) parameters["artifact_ids"] = string.Join(",", artifactIds);
        return CreateAsync(new JobRequest { Kind = "verify", Params = parameters }, cancellationToken);
    }

    public async Task<Job> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        new(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(jobId)}", null, cancellationToken).ConfigureAwait(false));

    /// <summary>The most recent jobs, newest first.</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(int limit = 10, CancellationToken cancellationToken = default) =>
        (await ListPageAsync(limit, null, cancellationToken).ConfigureAwait(false)).Jobs;

    /// <summary>One page of jobs, newest first; pass <see cref="JobPage.NextPageToken"/> back for the next.</summary>
    public async Task<JobPage> ListPageAsync(int limit = 10, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = $"v1/jobs?limit={limit}" + (pageToken is null ? "" : $"&page_token={Uri.EscapeDataString(pageToken)}");
        var page = await _client.Api.SendAsync<JobListData>(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
        return new JobPage((page.Jobs ?? []).Select(j => new Job(_client, j)).ToArray(), string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken);
    }

    public async Task<Job> CancelAsync(string jobId, CancellationToken cancellationToken = default) =>
        new(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(jobId)}:cancel", null, cancellationToken, Resend.OnlyWhenRateLimited).ConfigureAwait(false));

    /// <summary>A new job with the same sealed contract and seed: identical outputs.</summary>
    public async Task<Job> RerunAsync(string jobId, CancellationToken cancellationToken = default) =>
        new(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(jobId)}:rerun", null, cancellationToken, Resend.OnlyWhenRateLimited).ConfigureAwait(false));
}

public sealed record JobPage(IReadOnlyList<Job> Jobs, string? NextPageToken);
