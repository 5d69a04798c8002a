using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Seals;

/// <summary>The single writer of the append-only seal registry. One seal per job, whatever the retries.</summary>
public sealed class SealRegistryGrain(
    [PersistentState("seals", RadMahStorage.Name)] IPersistentState<SealRegistryState> state) : Grain, ISealRegistryGrain
{
    private readonly Dictionary<string, SealRecord> _byJob = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var seal in state.State.Seals) _byJob[seal.JobId] = seal;
        return Task.CompletedTask;
    }

    public async Task<SealRecord> AppendAsync(SealRecord seal)
    {
        if (!Ids.LooksLikeJobId(seal.JobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{seal.JobId}' is not a job id.", "job_id");
        if (string.IsNullOrEmpty(seal.ContractDigest)) throw new RadMahException(RadMahException.InvalidArgument, "a seal needs a contract digest.", "contract_digest");
        if (_byJob.TryGetValue(seal.JobId, out var existing)) return existing;
        var appended = seal with { Index = state.State.Seals.Count };
        state.State.Seals.Add(appended);
        try
        {
            await state.WriteOrForgetAsync(this);
        }
        catch
        {
            state.State.Seals.RemoveAt(state.State.Seals.Count - 1);
            throw;
        }
        _byJob[seal.JobId] = appended;
        return appended;
    }

    public Task<SealRecord?> FindAsync(string jobId) => Task.FromResult(_byJob.GetValueOrDefault(jobId));

    public Task<long> CountAsync() => Task.FromResult((long)state.State.Seals.Count);

    public Task<IReadOnlyList<SealRecord>> ListAsync(long fromIndex, int count)
    {
        if (fromIndex < 0 || count < 0) throw new RadMahException(RadMahException.InvalidArgument, "fromIndex and count must not be negative.");
        return Task.FromResult<IReadOnlyList<SealRecord>>(state.State.Seals.Skip((int)Math.Min(fromIndex, int.MaxValue)).Take(count).ToArray());
    }
}
