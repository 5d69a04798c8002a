using System.Globalization;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Submission;

/// <summary>A closed, write-once chunk of an account's job index; see <see cref="IAccountJobChunkGrain"/>.</summary>
public sealed class AccountJobChunkGrain(
    [PersistentState("jobchunk", RadMahStorage.Name)] IPersistentState<AccountJobChunkState> state) : Grain, IAccountJobChunkGrain
{
    public async Task StoreAsync(IReadOnlyList<string> jobIds)
    {
        RequireWellFormedKey();
        if (jobIds is null || jobIds.Count != IAccountJobChunkGrain.ChunkSize)
            throw new RadMahException(RadMahException.InvalidArgument, $"a chunk holds exactly {IAccountJobChunkGrain.ChunkSize} job ids; got {jobIds?.Count ?? 0}.", "job_ids");
        if (jobIds.FirstOrDefault(id => !Ids.LooksLikeJobId(id)) is { } bad)
            throw new RadMahException(RadMahException.InvalidArgument, $"'{bad}' is not a job id.", "job_ids");
        if (state.RecordExists)
        {
            if (state.State.JobIds.SequenceEqual(jobIds, StringComparer.Ordinal)) return;
            throw new RadMahException(RadMahException.FailedPrecondition, $"chunk {this.GetPrimaryKeyString()} is already stored with other job ids.");
        }
        state.State.JobIds = [.. jobIds];
        await state.WriteOrForgetAsync(this);
    }

    public Task<IReadOnlyList<string>> GetAsync()
    {
        if (!state.RecordExists)
            throw new RadMahException(RadMahException.NotFound, $"chunk {this.GetPrimaryKeyString()} of a job index does not exist.");
        return Task.FromResult<IReadOnlyList<string>>(state.State.JobIds);
    }

    private void RequireWellFormedKey()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{key}' is not a job index chunk key (ACCOUNT_ID/N).", "chunk");
    }
}
