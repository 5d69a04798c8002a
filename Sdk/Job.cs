using System.Runtime.CompilerServices;
using Microsoft.Data.Analysis;

namespace RadMah.Sdk;

/// <summary>
/// A job as last seen. <see cref="WaitAsync"/> and <see cref="RefreshAsync"/> update it in place,
/// like the product page's <c>job.wait()</c>.
/// </summary>
public sealed class Job
{
    private readonly RadMahClient _client;
    private JobData _data;

    internal Job(RadMahClient client, JobData data)
    {
        _client = client;
        _data = data;
    }

    public string Id => _data.Id;
    public string Kind => _data.Kind;
    /// <summary>created, queued, running, succeeded, failed or canceled.</summary>
    public string Status => _data.Status;
    public long Rows => _data.Rows;
    public long Seed => _data.Seed;
    public string Description => _data.Description;
    public string ContractDigest => _data.ContractDigest;
    public DateTime CreatedAt => _data.CreatedAt;
    public DateTime? QueuedAt => _data.QueuedAt;
    public DateTime? StartedAt => _data.StartedAt;
    public DateTime? FinishedAt => _data.FinishedAt;
    public double CreditsCharged => _data.CreditsCharged;
    /// <summary>Why the job failed; null otherwise.</summary>
    public string? Error => string.IsNullOrEmpty(_data.Error) ? null : _data.Error;
    public IReadOnlyList<string> Warnings => _data.Warnings ?? [];
    public long RowsDone => _data.RowsDone;
    /// <summary>While a neural model trains: its epoch and losses; null otherwise.</summary>
    public TrainingProgress? Training => _data.Training;
    public string? RerunOf => string.IsNullOrEmpty(_data.RerunOf) ? null : _data.RerunOf;
    /// <summary>The queue tier the job was routed to (radmah-default, …).</summary>
    public string? Tier => string.IsNullOrEmpty(_data.Tier) ? null : _data.Tier;
    public bool IsTerminal => Status is "succeeded" or "failed" or "canceled";

    public async Task<Job> RefreshAsync(CancellationToken cancellationToken = default)
    {
        _data = await _client.Api.SendAsync<JobData>(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(Id)}", null, cancellationToken).ConfigureAwait(false);
        return this;
    }

    /// <summary>
    /// Waits until the job is succeeded, failed or canceled: polls every 2 s (or
    /// <paramref name="pollInterval"/>), as the product page says, or, with <paramref name="stream"/>,
    /// follows <see cref="WatchAsync"/>. Throws <see cref="TimeoutException"/> when
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<Job> WaitAsync(TimeSpan? timeout = null, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default, bool stream = false)
    {
        var interval = pollInterval ?? TimeSpan.FromSeconds(2);
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(pollInterval), "the poll interval must be positive.");
        if (stream)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } limit) deadline.CancelAfter(limit);
            try
            {
                await foreach (var _ in WatchAsync(interval, deadline.Token).ConfigureAwait(false))
                {
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"job {Id} is still {Status} after {timeout!.Value.TotalSeconds:0.#} s.");
            }
            return this;
        }
        var until = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (!IsTerminal)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"job {Id} is still {Status} after {timeout!.Value.TotalSeconds:0.#} s.");
            await Task.Delay(left < interval ? left : interval, cancellationToken).ConfigureAwait(false);
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        return this;
    }

    /// <summary>
    /// The job now, then each change until it is terminal, updating this object as they come. It
    /// follows the server's event stream (GET /v1/jobs/{id}:watch); a stream that breaks is
    /// reopened, and after three breaks, or where the server has no stream, it polls every
    /// <paramref name="pollInterval"/> (2 s) instead, yielding when the status or progress moved.
    /// </summary>
    public async IAsyncEnumerable<Job> WatchAsync(TimeSpan? pollInterval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromSeconds(2);
        var breaks = 0;
        JobEventStream? events = null;
        try
        {
            var first = true;
            while (first || !IsTerminal)
            {
                if (events is null && breaks < 3)
                {
                    try
                    {
                        events = await JobEventStream.OpenAsync(_client.Api, Id, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not (AuthenticationException or OperationCanceledException))
                    {
                        // No stream here (an older or proxied server): polling says what is wrong, if anything.
                        breaks = 3;
                    }
                }
                if (events is not null)
                {
                    JobData? next;
                    try
                    {
                        next = await events.NextAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException or System.Text.Json.JsonException)
                    {
                        next = null;
                    }
                    if (next is not null)
                    {
                        _data = next;
                        first = false;
                        yield return this;
                        continue;
                    }
                    events.Dispose();
                    events = null;
                    breaks++;
                }
                var before = (Status, RowsDone, Training?.Epoch);
                if (!first) await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                if (first || (Status, RowsDone, Training?.Epoch) != before) yield return this;
                first = false;
            }
        }
        finally
        {
            events?.Dispose();
        }
    }

    public Task<IReadOnlyList<Artifact>> ArtifactsAsync(CancellationToken cancellationToken = default) =>
        _client.Artifacts.ListAsync(Id, cancellationToken);

    /// <summary>
    /// Writes the job's main result to <paramref name="path"/>, checking its digest: whatever the
    /// kind, the first artifact the API lists (a mock job's dataset.csv, an analyze job's report.html, …).
    /// </summary>
    public async Task DownloadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (Status != "succeeded") throw new InvalidOperationException($"job {Id} is {Status}; only a succeeded job has results.");
        var artifacts = await ArtifactsAsync(cancellationToken).ConfigureAwait(false);
        if (artifacts.Count == 0) throw new InvalidOperationException($"job {Id} has no result to download.");
        await _client.Artifacts.DownloadAsync(artifacts[0].Id, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job's rows as a Microsoft.Data.Analysis DataFrame (read from the verified CSV).</summary>
    public async Task<DataFrame> ToDataFrameAsync(CancellationToken cancellationToken = default)
    {
        var csv = await DatasetCsvAsync(cancellationToken).ConfigureAwait(false);
        var temp = Path.Combine(Path.GetTempPath(), $"radmah-{Id}-{Guid.NewGuid():N}.csv");
        try
        {
            await _client.Artifacts.DownloadAsync(csv.Id, temp, cancellationToken).ConfigureAwait(false);
            await using var stream = File.OpenRead(temp);
            return DataFrame.LoadCsv(stream);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task<Artifact> DatasetCsvAsync(CancellationToken cancellationToken)
    {
        if (Status != "succeeded") throw new InvalidOperationException($"job {Id} is {Status}; only a succeeded job has results.");
        var artifacts = await ArtifactsAsync(cancellationToken).ConfigureAwait(false);
        return artifacts.FirstOrDefault(a => a.ArtifactType == "dataset.csv")
            ?? throw new InvalidOperationException($"job {Id} has no dataset.csv artifact.");
    }
}
