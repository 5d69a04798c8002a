using System.Text;
using RadMah.Artifacts;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Kinds;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Reports;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Grains.Work;

/// <summary>What train and synthesize share: training a model on the contract's table, and opening a stored model.</summary>
public static class SynthesisWork
{
    /// <summary>Profiles the table (to decide its columns' codecs), reads it again, and fits the model.</summary>
    public static async Task<(SynthesisModel Model, TrainingTable Table)> TrainAsync(SynthesisContract contract, IArtifactStore store, WorkSettings settings,
        CancellationToken cancellationToken)
    {
        var readOptions = contract.ReadOptions();
        Func<CancellationToken, Task<ITableReader>> open = ct => DataJobWork.OpenAsync(contract.Table, readOptions, store, ct);
        var info = new DatasetInfo
        {
            Id = contract.Table.DatasetId,
            Name = contract.Table.Name,
            ContentHash = contract.Table.ContentHash,
            Format = contract.Table.Format,
            SizeBytes = contract.Table.SizeBytes,
        };
        var (codecs, rows) = await SynthesisRun.CodecsAsync(open, info, contract.Seed, settings.Parallelism, settings.Progress, cancellationToken);
        var split = TrainingOptions.SplitOf(contract.Options, contract.Seed);
        var source = new ModelTraining
        {
            ArtifactId = contract.Table.ArtifactId,
            Name = contract.Table.Name,
            Format = contract.Table.Format,
            ContentHash = contract.Table.ContentHash,
            SizeBytes = contract.Table.SizeBytes,
            DatasetId = contract.Table.DatasetId,
            SourceJobId = contract.Table.SourceJobId,
            ReadOptions = DataJobContract.ReadingOptions.Keys.Where(contract.Options.ContainsKey).ToDictionary(k => k, k => contract.Options[k]),
            Seed = contract.Seed,
            HoldoutFraction = split.HoldoutFraction,
            MaxTrainingRows = split.MaxTrainingRows,
            MaxHoldoutRows = split.MaxHoldoutRows,
            RowsRead = rows,
            TrainingRows = 0,
            HoldoutRows = 0,
            Sampled = false,
        };
        return await SynthesisRun.TrainAsync(open, codecs, rows, source,
            TrainingOptions.ModelOf(contract.Options), settings.Parallelism, cancellationToken);
    }

    /// <summary>The contract's model, read by digest (the store checks the bytes), and its training table read again for the reports.</summary>
    public static async Task<(SynthesisModel Model, TrainingTable Table)> OpenModelAsync(SynthesisContract contract, IArtifactStore store, CancellationToken cancellationToken)
    {
        var input = contract.Model!;
        byte[] bytes;
        try
        {
            await using var stream = store.OpenRead(input.ContentHash);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }
        catch (FileNotFoundException)
        {
            throw new ContractException($"the model of job {input.SourceJobId} ({input.ContentHash}) is not in the artifact store.");
        }
        var model = SynthesisModel.Parse(bytes);
        var t = model.Training;
        var readOptions = DataJobContract.ReadOptionsOf(t.ReadOptions);
        var table = await SynthesisRun.LoadAsync(ct => DataJobWork.OpenAsync(contract.Table, readOptions, store, ct), model.Codecs, t.RowsRead, t.Split, cancellationToken);
        return (model, table);
    }

    public static async Task<StagedArtifact> StageTextAsync(IArtifactStore store, string jobId, string name, string mediaType, string text, CancellationToken cancellationToken)
    {
        await using var stream = store.OpenStaging(jobId, name);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        return await stream.CompleteAsync(mediaType, cancellationToken);
    }

    /// <summary>The canonical bytes of a JSON report.</summary>
    public static byte[] JsonBytes(System.Text.Json.Nodes.JsonObject report) => CanonicalJson.Serialize(report);

    /// <summary>The quality report's page.</summary>
    public static string QualityHtml(System.Text.Json.Nodes.JsonObject quality, SynthesisModel model) =>
        QualityReportDocument.Html(quality, $"Quality report: {model.Family} on {model.Training.Name}");
}
