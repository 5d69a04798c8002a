using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Kinds;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Grains.Work;

/// <summary>What train and synthesize share: training a model on the contract's table, and opening a stored model.</summary>
public static class SynthesisWork
{
    /// <summary>Profiles the table (to decide its columns' codecs), reads it again, and fits the model.</summary>
    public static async Task<(SynthesisModel Model, TrainingTable Table)> TrainAsync(string jobId, SynthesisContract contract, IArtifactStore store,
        ICheckpointStore checkpoints, ModelFamilies families, WorkSettings settings, CancellationToken cancellationToken)
    {
        // A silo without the family fails the job before reading anything (the hold is released).
        var family = families.Get(TrainingOptions.ModelOf(contract.Options));
        var readOptions = contract.ReadOptions();
        Func<CancellationToken, Task<ITableReader>> open = ct => DataJobWork.OpenAsync(contract.Table, readOptions, store, ct);
        var fitting = SynthesisRevision.Of(contract.Revision).CopulaFitting;
        var (codecs, rows) = await SynthesisRun.CodecsAsync(open, DataJobWork.InfoOf(contract.Table), contract.Seed, settings.Parallelism, fitting,
            settings.Progress, cancellationToken);
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
            ReadOptions = ReadOptionsOf(contract),
            Seed = contract.Seed,
            HoldoutFraction = split.HoldoutFraction,
            MaxTrainingRows = TrainingTable.MaxTrainingRowsFor(codecs.Count, split.MaxTrainingRows),
            MaxHoldoutRows = split.MaxHoldoutRows,
            RowsRead = rows,
            TrainingRows = 0,
            HoldoutRows = 0,
            Sampled = false,
        };
        var fit = new ModelFitSettings
        {
            Seed = contract.Seed,
            Hyperparameters = TrainingOptions.HyperparametersOf(contract.Options),
            Parallelism = settings.Parallelism,
            CopulaFitting = fitting,
            Progress = settings.Training,
            // A neural training keeps its state every few epochs under the job's id; an attempt on
            // another silo after this one's died finds it and goes on from there.
            Checkpoints = new TrainingCheckpoints(TrainingOptions.CheckpointEveryOf(contract.Options),
                () => checkpoints.LoadAsync(jobId, CancellationToken.None).GetAwaiter().GetResult(),
                state => checkpoints.SaveAsync(jobId, state, CancellationToken.None).GetAwaiter().GetResult()),
        };
        var trained = await SynthesisRun.TrainAsync(open, codecs, rows, source, family, fit, cancellationToken);
        await checkpoints.DeleteAsync(jobId, CancellationToken.None);
        return trained;
    }

    /// <summary>What a model records of how its table was read (<see cref="ModelTraining.ReadOptions"/>).</summary>
    private static Dictionary<string, string> ReadOptionsOf(SynthesisContract contract)
    {
        var options = DataJobContract.ReadingOptions.Keys.Where(contract.Options.ContainsKey).ToDictionary(k => k, k => contract.Options[k]);
        if (contract.ReadOptions().HeaderNamesByValues) options[ModelTraining.HeaderNamesByValuesOption] = "true";
        return options;
    }

    /// <summary>The contract's model, read by digest (the store checks the bytes), and its training table read again for the reports.</summary>
    public static async Task<(SynthesisModel Model, TrainingTable Table)> OpenModelAsync(SynthesisContract contract, IArtifactStore store, ModelFamilies families,
        CancellationToken cancellationToken)
    {
        var input = contract.Model!;
        byte[] bytes;
        try
        {
            bytes = await store.ReadAllAsync(input.ContentHash, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            throw new ContractException($"the model of job {input.SourceJobId} ({input.ContentHash}) is not in the artifact store.");
        }
        var model = SynthesisModel.Parse(bytes, families);
        var t = model.Training;
        var readOptions = t.TableReadOptions();
        var table = await SynthesisRun.LoadAsync(ct => DataJobWork.OpenAsync(contract.Table, readOptions, store, ct), model.Codecs, t.RowsRead, t.Split, cancellationToken);
        return (model, table);
    }
}
