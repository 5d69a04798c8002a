using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Artifacts;

[GenerateSerializer]
public sealed class ArtifactState
{
    [Id(0)] public ArtifactRecord? Record { get; set; }
}

/// <summary>One artifact's catalogue entry.</summary>
public sealed class ArtifactGrain(
    [PersistentState("artifact", RadMahStorage.Name)] IPersistentState<ArtifactState> state) : Grain, IArtifactGrain
{
    public async Task RegisterAsync(ArtifactRecord record)
    {
        if (record.Id != this.GetPrimaryKeyString())
            throw new RadMahException(RadMahException.InvalidArgument, $"record {record.Id} registered under {this.GetPrimaryKeyString()}.", "artifact_id");
        if (state.State.Record is { } existing)
        {
            if (existing with { CreatedAt = record.CreatedAt } == record) return;
            throw new RadMahException(RadMahException.FailedPrecondition, $"artifact {record.Id} is already registered with other content.");
        }
        state.State.Record = record;
        await state.WriteOrForgetAsync(this);
    }

    public Task<ArtifactRecord> GetAsync() =>
        Task.FromResult(state.State.Record ?? throw new RadMahException(RadMahException.NotFound, $"artifact {this.GetPrimaryKeyString()} does not exist.", "artifact_id"));
}
