using System.Globalization;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Submission;

/// <summary>
/// An account's job ids in creation order: closed chunks of <see cref="IAccountJobChunkGrain.ChunkSize"/>
/// in write-once chunk grains, and the open end in its owner's state, so adding a job writes a
/// bounded amount however many jobs the account has run. The owner writes the state.
/// </summary>
public sealed class JobIndex(JobIndexState state, IGrainFactory grains, string accountId)
{
    public const int MaxPageSize = 100;

    private static int ChunkSize => IAccountJobChunkGrain.ChunkSize;

    /// <summary>Jobs in the index: the closed chunks, then the open end.</summary>
    public int Count => state.ClosedChunks * ChunkSize + state.JobIds.Count;

    public void Add(string jobId) => state.JobIds.Add(jobId);

    public void Remove(string jobId) => state.JobIds.Remove(jobId);

    /// <summary>
    /// Moves full chunks from the front of the open end into chunk grains. Each chunk is stored
    /// before the state forgets it; a close interrupted in between is repeated with the same ids,
    /// which the chunk accepts.
    /// </summary>
    public async Task CloseFullChunksAsync()
    {
        while (state.JobIds.Count >= ChunkSize)
        {
            var chunk = state.JobIds.GetRange(0, ChunkSize);
            await Chunk(state.ClosedChunks).StoreAsync(chunk);
            state.JobIds.RemoveRange(0, ChunkSize);
            state.ClosedChunks++;
        }
    }

    /// <summary>
    /// A page of jobs, newest first. The token is the position, in creation order, just past the next
    /// page's newest job. The index only grows at its end, so pages stay put while new jobs are
    /// created between calls (an offset from the newest would shift and repeat jobs).
    /// </summary>
    public async Task<JobPage> PageAsync(int limit, string? pageToken)
    {
        if (limit < 1 || limit > MaxPageSize)
            throw new RadMahException(RadMahException.InvalidArgument, $"limit must be between 1 and {MaxPageSize}; got {limit}.", "limit");
        var total = Count;
        var end = total;
        if (!string.IsNullOrEmpty(pageToken) && (!int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < 1 || end > total))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{pageToken}' is not a page token from this listing.", "page_token");
        var start = Math.Max(0, end - limit);
        var ids = await IdsAsync(start, end);
        var views = await Task.WhenAll(ids.Select(ViewAsync));
        return new JobPage([.. views.OfType<JobView>()], start > 0 ? start.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The job's view; null for an id whose job was never created (a failed submission whose index entry could not be taken back).</summary>
    private async Task<JobView?> ViewAsync(string jobId)
    {
        try
        {
            return await grains.GetGrain<IJobGrain>(jobId).GetAsync();
        }
        catch (RadMahException ex) when (ex.Code == RadMahException.NotFound)
        {
            return null;
        }
    }

    /// <summary>The ids at positions [start, end) of creation order, newest first.</summary>
    private async Task<string[]> IdsAsync(int start, int end)
    {
        var closedEnd = state.ClosedChunks * ChunkSize;
        var chunks = new Dictionary<int, IReadOnlyList<string>>();
        for (var number = start / ChunkSize; number * ChunkSize < Math.Min(end, closedEnd); number++)
            chunks[number] = await Chunk(number).GetAsync();
        var ids = new string[end - start];
        for (var i = 0; i < ids.Length; i++)
        {
            var position = end - 1 - i;
            ids[i] = position >= closedEnd ? state.JobIds[position - closedEnd] : chunks[position / ChunkSize][position % ChunkSize];
        }
        return ids;
    }

    private IAccountJobChunkGrain Chunk(int number) => grains.GetGrain<IAccountJobChunkGrain>(IAccountJobChunkGrain.KeyOf(accountId, number));
}
