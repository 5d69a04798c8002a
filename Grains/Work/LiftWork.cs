using RadMah.Artifacts;
using RadMah.Engine.Kinds;
using RadMah.Engine.Lift;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>lift: raw data → typed WorldState, stored as worldstate.arrow (the series) and manifest.json (entities, tags, types, units).</summary>
public sealed class LiftWork(LiftKind kind) : JobWork<DataJobContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, DataJobContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
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
        StagedArtifact worldState;
        await using (var reader = await DataJobWork.OpenInputAsync(contract, store, cancellationToken))
        await using (var arrow = store.OpenStaging(definition.JobId, LiftKind.WorldStateName))
        {
            manifest = await LiftEngine.LiftAsync(reader, contract.Input.ContentHash, options, arrow, cancellationToken);
            worldState = await arrow.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken);
        }
        return [worldState, await StageAsync(store, definition.JobId, LiftKind.ManifestName, "application/json", manifest.ToJsonBytes(), cancellationToken)];
    }
}
