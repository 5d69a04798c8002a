using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Records;

namespace RadMah.Grains.Artifacts;

/// <summary>One artifact's catalogue entry: a cache of its row in the platform records.</summary>
public sealed class ArtifactGrain(IPlatformRecords records) : Grain, IArtifactGrain
{
    private ArtifactRecord? _record;

    private string ArtifactId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _record = await records.FindArtifactAsync(ArtifactId, cancellationToken);

    public async Task RegisterAsync(ArtifactRecord record)
    {
        if (record.Id != ArtifactId)
            throw new RadMahException(RadMahException.InvalidArgument, $"record {record.Id} registered under {ArtifactId}.", "artifact_id");
        if (_record is null)
        {
            try
            {
                await records.AddArtifactAsync(record);
                _record = record;
                return;
            }
            catch (DuplicateRecordException)
            {
                // Registered before (a retried commit whose first reply was lost): compare with what is stored.
                _record = await records.FindArtifactAsync(ArtifactId);
                if (_record is null) throw;
            }
        }
        if (_record with { CreatedAt = record.CreatedAt } != record)
            throw new RadMahException(RadMahException.FailedPrecondition, $"artifact {record.Id} is already registered with other content.");
    }

    public Task<ArtifactRecord> GetAsync() =>
        Task.FromResult(_record ?? throw new RadMahException(RadMahException.NotFound, $"artifact {ArtifactId} does not exist.", "artifact_id"));
}
