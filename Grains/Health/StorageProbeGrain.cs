using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces.Health;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Health;

[GenerateSerializer]
public sealed class StorageProbeState
{
    [Id(0)] public long Probes { get; set; }
    [Id(1)] public DateTime LastAtUtc { get; set; }
}

public sealed class StorageProbeGrain(
    [PersistentState("probe", RadMahStorage.Name)] IPersistentState<StorageProbeState> state) : Grain, IStorageProbeGrain
{
    public async Task<long> ProbeAsync()
    {
        state.State.Probes++;
        state.State.LastAtUtc = DateTime.UtcNow;
        await state.WriteOrForgetAsync(this);
        return state.State.Probes;
    }
}
