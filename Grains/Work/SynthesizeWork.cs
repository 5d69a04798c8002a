using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Output;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Reports;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Work;

/// <summary>
/// synthesize: samples the model (the contract's, or one trained here on the contract's table) into
/// dataset.csv and dataset.arrow, and scores the rows against the real ones: quality-report.json and
/// .html, privacy-report.json. The reports are artifacts of the job, so its evidence and seal cover them.
/// </summary>
public sealed class SynthesizeWork(SynthesizeKind kind, ModelFamilies families, ICheckpointStore checkpoints) : JobWork<SynthesisContract>(kind)
{
    protected override async Task<IReadOnlyList<StagedArtifact>> RunAsync(JobDefinition definition, SynthesisContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var (trained, table) = contract.Model is null
            ? await SynthesisWork.TrainAsync(definition.JobId, contract, store, checkpoints, families, settings, cancellationToken)
            : await SynthesisWork.OpenModelAsync(contract, store, families, cancellationToken);
        var revision = SynthesisRevision.Of(contract.Revision);
        var model = SynthesisRun.ForSynthesis(trained, table, contract.Seed, revision);
        // A neural model holds LibTorch memory: given back when the job's work is done, not when a finalizer gets to it.
        using var network = model.Model.Sampler as IDisposable;
        var staging = definition.JobId;
        StagedArtifact csvFile, arrowFile;
        await using (var csv = store.OpenStaging(staging, ArtifactNames.DatasetCsv))
        await using (var arrow = store.OpenStaging(staging, ArtifactNames.DatasetArrow))
        {
            await SynthesisRun.WriteRowsAsync(model, contract.Rows, contract.Seed, csv, arrow, new DatasetWriteOptions
            {
                Parallelism = settings.Parallelism,
                Progress = settings.Progress,
                ArrowMetadata = new Dictionary<string, string> { ["radmah.contract_digest"] = definition.ContractDigest },
            }, cancellationToken);
            csvFile = await csv.CompleteAsync("text/csv; charset=utf-8", cancellationToken);
            arrowFile = await arrow.CompleteAsync("application/vnd.apache.arrow.file", cancellationToken);
        }
        var (quality, privacy) = SynthesisRun.Evaluate(model, table, contract.Rows, contract.Seed, settings.Parallelism, revision, cancellationToken);
        return
        [
            csvFile,
            arrowFile,
            await StageAsync(store, staging, SynthesizeKind.QualityReportJson, "application/json", CanonicalJson.Serialize(quality), cancellationToken),
            await StageAsync(store, staging, SynthesizeKind.QualityReportHtml, "text/html; charset=utf-8",
                Encoding.UTF8.GetBytes(QualityReportDocument.Html(quality, $"Quality report: {model.Family} on {model.Training.Name}")), cancellationToken),
            await StageAsync(store, staging, SynthesizeKind.PrivacyReportJson, "application/json", CanonicalJson.Serialize(privacy), cancellationToken),
        ];
    }
}
