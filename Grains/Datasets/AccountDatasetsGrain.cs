using Microsoft.Extensions.Logging;
using RadMah.Artifacts;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Grains.Accounts;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Records;
using RadMah.Grains.Submission;

namespace RadMah.Grains.Datasets;

/// <summary>An account's uploads: the format an upload is read as, and the dataset records.</summary>
public sealed class AccountDatasetsGrain(IPlatformRecords records, IArtifactStore artifactStore, ILogger<AccountDatasetsGrain> logger) : Grain, IAccountDatasetsGrain
{
    private AccountRecord? _account;

    private string AccountId => this.GetPrimaryKeyString();
    private AccountRecord Account => _account ??= new AccountRecord(records, AccountId);
    private AccountInputs Inputs => new(AccountId, GrainFactory, records, artifactStore);

    public Task<string> DetectFormatAsync(byte[] head, string name, string? declaredFormat)
    {
        DatasetFormat? declared = null;
        if (!string.IsNullOrWhiteSpace(declaredFormat))
        {
            if (!DatasetFormatNames.TryParse(declaredFormat, out var parsed))
                throw new RadMahException(RadMahException.InvalidArgument, $"'{declaredFormat}' is not a dataset format; formats: {string.Join(", ", DatasetFormatNames.All)}.", "format");
            declared = parsed;
        }
        DatasetFormat detected;
        try
        {
            detected = DatasetFormatDetector.Detect(head.AsSpan(0, Math.Min(head.Length, DatasetFormatDetector.HeadBytes)), name);
        }
        catch (DatasetException ex)
        {
            throw new RadMahException(RadMahException.InvalidArgument, ex.Message, "content");
        }
        if (declared is not { } d || d == detected) return Task.FromResult(detected.ToWire());
        // CSV and TSV may be declared for each other (the delimiter is detected anyway); JSON Lines and
        // the binary formats must be what their bytes are, or their jobs would read them as something else.
        if (detected is DatasetFormat.Csv or DatasetFormat.Tsv && d is DatasetFormat.Csv or DatasetFormat.Tsv) return Task.FromResult(d.ToWire());
        throw new RadMahException(RadMahException.InvalidArgument, $"the upload was declared {d.ToWire()} but its content is {detected.ToWire()}.", "format");
    }

    public async Task<DatasetRecord> AddAsync(DatasetRecord dataset)
    {
        await Account.RequireAsync();
        if (dataset.AccountId != AccountId) throw new RadMahException(RadMahException.InvalidArgument, $"dataset {dataset.Id} is for account {dataset.AccountId}.", "account_id");
        if (!Ids.LooksLikeDatasetId(dataset.Id)) throw new RadMahException(RadMahException.InvalidArgument, $"'{dataset.Id}' is not a dataset id.", "dataset_id");
        DatasetNames.Validate(dataset.Name);
        if (!DatasetFormatNames.TryParse(dataset.Format, out var format) || format.ToWire() != dataset.Format)
            throw new RadMahException(RadMahException.InvalidArgument, $"'{dataset.Format}' is not a dataset format; formats: {string.Join(", ", DatasetFormatNames.All)}.", "format");
        if (dataset.SizeBytes <= 0) throw new RadMahException(RadMahException.InvalidArgument, "a dataset cannot be empty.", "content");
        var artifact = ArtifactRecord.Of(dataset.Id, AccountId, dataset.Name, DatasetRecord.ArtifactType, format.MediaType(), dataset.ContentHash, dataset.SizeBytes, dataset.CreatedAt);
        if (dataset.ArtifactId != artifact.Id)
            throw new RadMahException(RadMahException.InvalidArgument, $"dataset {dataset.Id} names artifact {dataset.ArtifactId}, not its own.", "artifact_id");
        if (!artifactStore.Contains(dataset.ContentHash))
            throw new RadMahException(RadMahException.FailedPrecondition, $"the store holds no bytes with digest {dataset.ContentHash}.", "content_hash");
        try
        {
            await records.AddDatasetAsync(dataset, artifact);
        }
        catch (DuplicateRecordException)
        {
            // Recorded before (a retry whose first reply was lost): the same record is fine, another is not.
            var stored = await records.FindDatasetAsync(dataset.Id);
            if (stored is null || stored with { CreatedAt = dataset.CreatedAt } != dataset)
                throw new RadMahException(RadMahException.FailedPrecondition, $"dataset {dataset.Id} already exists with other content.", "dataset_id");
            return stored;
        }
        logger.LogInformation("Account {AccountId}: dataset {DatasetId} ({Format}, {Bytes} bytes) uploaded", AccountId, dataset.Id, dataset.Format, dataset.SizeBytes);
        return dataset;
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListAsync()
    {
        await Account.RequireAsync();
        return await records.ListDatasetsAsync(AccountId);
    }

    public async Task<DatasetRecord> GetAsync(string datasetId)
    {
        await Account.RequireAsync();
        try
        {
            return await Inputs.OwnedDatasetAsync(datasetId, "dataset_id");
        }
        catch (ContractException ex)
        {
            throw ex.ToPlatformError();
        }
    }
}
