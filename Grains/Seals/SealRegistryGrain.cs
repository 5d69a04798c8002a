using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Records;

namespace RadMah.Grains.Seals;

/// <summary>
/// The single writer of the append-only seal registry, kept in the platform records. One seal per
/// job, whatever the retries: the records refuse a second seal for a job and a second seal at an index.
/// </summary>
public sealed class SealRegistryGrain(IPlatformRecords records) : Grain, ISealRegistryGrain
{
    private readonly List<SealRecord> _seals = [];
    private readonly Dictionary<string, SealRecord> _byJob = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<SealRecord> AppendAsync(SealRecord seal)
    {
        if (!Ids.LooksLikeJobId(seal.JobId)) throw new RadMahException(RadMahException.InvalidArgument, $"'{seal.JobId}' is not a job id.", "job_id");
        if (string.IsNullOrEmpty(seal.ContractDigest)) throw new RadMahException(RadMahException.InvalidArgument, "a seal needs a contract digest.", "contract_digest");
        for (var attempt = 0; ; attempt++)
        {
            if (_byJob.TryGetValue(seal.JobId, out var existing)) return existing;
            var appended = seal with { Index = _seals.Count };
            try
            {
                await records.AppendSealAsync(appended);
            }
            catch (DuplicateRecordException) when (attempt == 0)
            {
                // The registry grew behind this activation (a write whose reply was lost, or another
                // activation): read it again, then either the job is sealed or the next index is free.
                await ReloadAsync(CancellationToken.None);
                continue;
            }
            _seals.Add(appended);
            _byJob[appended.JobId] = appended;
            return appended;
        }
    }

    public Task<SealRecord?> FindAsync(string jobId) => Task.FromResult(_byJob.GetValueOrDefault(jobId));

    public Task<long> CountAsync() => Task.FromResult((long)_seals.Count);

    public Task<IReadOnlyList<SealRecord>> ListAsync(long fromIndex, int count)
    {
        if (fromIndex < 0 || count < 0) throw new RadMahException(RadMahException.InvalidArgument, "fromIndex and count must not be negative.");
        return Task.FromResult<IReadOnlyList<SealRecord>>(_seals.Skip((int)Math.Min(fromIndex, int.MaxValue)).Take(count).ToArray());
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var seals = await records.ReadSealsAsync(cancellationToken);
        for (var i = 0; i < seals.Count; i++)
            if (seals[i].Index != i) throw new InvalidDataException($"the seal registry has a gap: seal {seals[i].Index} is at position {i}.");
        _seals.Clear();
        _byJob.Clear();
        foreach (var seal in seals)
        {
            _seals.Add(seal);
            _byJob[seal.JobId] = seal;
        }
    }
}
