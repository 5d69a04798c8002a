using System.Text;
using RadMah.Artifacts;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Datasets;

namespace RadMah.Grains.Tests;

public static class DatasetUploads
{
    /// <summary>An upload as the gateway makes one: bytes into the store, their format from the datasets grain, then the record.</summary>
    public static async Task<DatasetRecord> UploadAsync(IGrainFactory grains, IArtifactStore store, string accountId, string text, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var datasetId = Ids.NewDatasetId();
        StagedArtifact staged;
        await using (var stream = store.OpenStaging("upload-" + datasetId, name))
        {
            await stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
            staged = await stream.CompleteAsync("application/octet-stream", TestContext.Current.CancellationToken);
        }
        await store.PromoteAsync(staged, TestContext.Current.CancellationToken);
        await store.DiscardStagingAsync("upload-" + datasetId, TestContext.Current.CancellationToken);
        var datasets = grains.GetGrain<IAccountDatasetsGrain>(accountId);
        var format = await datasets.DetectFormatAsync(bytes[..Math.Min(bytes.Length, IAccountDatasetsGrain.FormatHeadBytes)], name, null);
        return await datasets.AddAsync(new DatasetRecord
        {
            Id = datasetId,
            AccountId = accountId,
            Name = name,
            Format = format,
            ContentHash = staged.ContentHash,
            SizeBytes = staged.SizeBytes,
            ArtifactId = Ids.ArtifactId(datasetId, name),
            CreatedAt = DateTime.UtcNow,
        });
    }
}
