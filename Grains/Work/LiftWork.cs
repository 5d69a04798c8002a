using RadMah.Engine.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Lift;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>lift: raw data → typed WorldState, stored as worldstate.arrow (the series) and manifest.json (entities, tags, types, units).</summary>
public sealed class LiftWork : IJobWork
{
    public string Kind => JobKinds.Lift;

    public const string WorldStateType = "worldstate";
    public const string ManifestType = "worldstate.manifest";

    public async Task<IReadOnlyList<StagedOutput>> RunAsync(JobDefinition definition, IArtifactStore store, WorkSettings settings, CancellationToken cancellationToken)
    {
        var contract = DataJobWork.OpenContract(definition);
        string? Option(string key) => contract.Options.GetValueOrDefault(key);
        var options = new LiftOptions
        {
            Shape = Option("shape") ?? "auto",
            EntityColumn = Option("entity_column"),
            TimestampColumn = Option("timestamp_column"),
            TagColumn = Option("tag_column"),
            ValueColumn = Option("value_column"),
            QualityColumn = Option("quality_column"),
            TimeZone = Option("timezone") ?? "UTC",
        };
        WorldStateManifest manifest;
        StagedOutput worldState;
        await using (var reader = await DataJobWork.OpenInputAsync(contract, store, cancellationToken))
        await using (var arrow = store.OpenStaging(definition.JobId, "worldstate.arrow"))
        {
            manifest = await LiftEngine.LiftAsync(reader, contract.Input.ContentHash, options, arrow, cancellationToken);
            var staged = await arrow.CompleteAsync(WorldStateType, "application/vnd.apache.arrow.file", cancellationToken);
            worldState = new StagedOutput(staged.StagingKey, staged.Name, staged.ArtifactType, staged.MediaType, staged.ContentHash, staged.SizeBytes);
        }
        return [worldState, await DataJobWork.StageAsync(store, definition.JobId, "manifest.json", ManifestType, "application/json", manifest.ToJsonBytes(), cancellationToken)];
    }
}
