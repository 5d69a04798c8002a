using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Kinds;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Reports;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>train: fits the model to the contract's table and stores model.json with its training report (JSON and HTML).</summary>
public sealed class TrainWork(TrainKind kind, ModelFamilies families, ICheckpointStore checkpoints) : JobWork<SynthesisContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, SynthesisContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var (model, table) = await SynthesisWork.TrainAsync(definition.JobId, contract, store, checkpoints, families, settings, cancellationToken);
        // A neural model holds LibTorch memory: given back when the job's work is done, not when a finalizer gets to it.
        using var network = model.Model.Sampler as IDisposable;
        settings.Progress(table.RowsRead);
        return
        [
            await StageAsync(store, definition.JobId, SynthesisModel.FileName, "application/json", model.ToBytes(), cancellationToken),
            await StageAsync(store, definition.JobId, TrainKind.TrainingReportJson, "application/json", CanonicalJson.Serialize(TrainingReport.Json(model)), cancellationToken),
            await StageAsync(store, definition.JobId, TrainKind.TrainingReportHtml, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(TrainingReport.Html(model, table)), cancellationToken),
        ];
    }
}
