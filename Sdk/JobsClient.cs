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
