namespace RadMah.Sdk;

/// <summary><c>client.Jobs</c>: create, get, list, cancel and rerun jobs.</summary>
public sealed class JobsClient
{
    private readonly RadMahClient _client;

    internal JobsClient(RadMahClient client) => _client = client;

    /// <summary>Submits a job; the kind defaults to mock and the seed to 42. Interactive marks a quick chat-triggered job.</summary>
    public async Task<Job> CreateAsync(long rows, string description, string kind = "mock", long? seed = null, bool interactive = false, CancellationToken cancellationToken = default)
    {
        var body = seed is null ? (object)new { kind, rows, description, interactive } : new { kind, rows, description, seed, interactive };
        return new Job(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, "v1/jobs", body, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// A job over an uploaded dataset: analyze (profile, report and inferred contract), fit or lift.
    /// <paramref name="parameters"/> are the kind's options (for analyze: delimiter, header).
    /// </summary>
    public async Task<Job> CreateFromDatasetAsync(string kind, string datasetId, IReadOnlyDictionary<string, string>? parameters = null, long? seed = null,
        CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object> { ["kind"] = kind, ["dataset_id"] = datasetId };
        if (parameters is { Count: > 0 }) body["params"] = parameters;
        if (seed is not null) body["seed"] = seed;
        return new Job(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, "v1/jobs", body, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Analyzes an uploaded dataset: profile.json, report.html and contract.json (the inferred schema).</summary>
    public Task<Job> AnalyzeAsync(string datasetId, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default) =>
        CreateFromDatasetAsync("analyze", datasetId, parameters, cancellationToken: cancellationToken);

    /// <summary>
    /// Look-alike rows: a mock job from the contract an analyze job inferred (the same columns, types,
    /// ranges, categories and frequencies, without training a model). Rows default to the analyzed table's.
    /// </summary>
    public async Task<Job> MockFromContractAsync(string analyzeJobId, long? rows = null, long? seed = null, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object> { ["kind"] = "mock", ["params"] = new Dictionary<string, string> { ["contract_job_id"] = analyzeJobId } };
        if (rows is not null) body["rows"] = rows;
        if (seed is not null) body["seed"] = seed;
        return new Job(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, "v1/jobs", body, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// A verify job: checks a succeeded job's artifacts, evidence bundle and seal (<paramref name="jobId"/>),
    /// or the given artifacts' digests. Its output is verification-report.json.
    /// </summary>
    public async Task<Job> VerifyAsync(string? jobId = null, IReadOnlyList<string>? artifactIds = null, CancellationToken cancellationToken = default)
    {
        if ((jobId is null) == (artifactIds is null)) throw new ArgumentException("Pass either jobId or artifactIds.");
        var parameters = jobId is not null
            ? new Dictionary<string, string> { ["job_id"] = jobId }
            : new Dictionary<string, string> { ["artifact_ids"] = string.Join(",", artifactIds!) };
        var body = new { kind = "verify", @params = parameters };
        return new Job(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, "v1/jobs", body, cancellationToken).ConfigureAwait(false));
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
        new(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(jobId)}:cancel", null, cancellationToken).ConfigureAwait(false));

    /// <summary>A new job with the same sealed contract and seed: identical outputs.</summary>
    public async Task<Job> RerunAsync(string jobId, CancellationToken cancellationToken = default) =>
        new(_client, await _client.Api.SendAsync<JobData>(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(jobId)}:rerun", null, cancellationToken).ConfigureAwait(false));
}

public sealed record JobPage(IReadOnlyList<Job> Jobs, string? NextPageToken);
