using RadMah.Artifacts;
using RadMah.Gateway.Security;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Datasets;

namespace RadMah.Gateway.Services;

/// <summary>The upload would exceed the plan's size limit (REST 413, gRPC RESOURCE_EXHAUSTED).</summary>
public sealed class UploadTooLargeException(string message) : Exception(message);

/// <summary>
/// One upload, for REST and gRPC alike: the bytes stream into a staging file of the artifact store
/// (hashed as they arrive, never held in memory) and the plan's size limit is enforced while they
/// arrive; the account's datasets grain reads the format from the first 64 KB (and checks a declared
/// one); the file then enters the content-addressed store and the dataset is recorded. A refused or broken upload leaves no
/// dataset and no staging file.
/// </summary>
public sealed class DatasetUploads(IGrainFactory grains, IArtifactStore store, AccountPlans plans, ILogger<DatasetUploads> logger)
{
    public async Task<DatasetRecord> UploadAsync(string accountId, string? name, string? declaredFormat, IAsyncEnumerable<ReadOnlyMemory<byte>> chunks,
        CancellationToken cancellationToken)
    {
        name = string.IsNullOrWhiteSpace(name) ? "dataset" : name.Trim();
        DatasetNames.Validate(name);
        var datasets = grains.GetGrain<IAccountDatasetsGrain>(accountId);
        var plan = await plans.GetAsync(accountId);
        var limit = AccountPlan.UploadLimitBytes(plan);
        var datasetId = Ids.NewDatasetId();
        var staging = "upload-" + datasetId;
        try
        {
            var head = new byte[IAccountDatasetsGrain.FormatHeadBytes];
            var headLength = 0;
            StagedArtifact staged;
            await using (var file = store.OpenStaging(staging, name))
            {
                long total = 0;
                await foreach (var chunk in chunks.WithCancellation(cancellationToken))
                {
                    total += chunk.Length;
                    if (total > limit)
                        throw new UploadTooLargeException($"the upload is larger than the {plan} plan's limit of {limit / 1_000_000:N0} MB.");
                    if (headLength < head.Length)
                    {
                        var n = Math.Min(head.Length - headLength, chunk.Length);
                        chunk.Span[..n].CopyTo(head.AsSpan(headLength));
                        headLength += n;
                    }
                    await file.WriteAsync(chunk, cancellationToken);
                }
                if (total == 0) throw new RadMahException(RadMahException.InvalidArgument, "the upload is empty.", "content");
                staged = await file.CompleteAsync("application/octet-stream", cancellationToken);
            }
            // The format is settled before the bytes enter the store: a refused upload leaves nothing there.
            var format = await datasets.DetectFormatAsync(head[..headLength], name, declaredFormat);
            await store.PromoteAsync(staged, cancellationToken);
            var record = new DatasetRecord
            {
                Id = datasetId,
                AccountId = accountId,
                Name = name,
                Format = format,
                ContentHash = staged.ContentHash,
                SizeBytes = staged.SizeBytes,
                ArtifactId = Ids.ArtifactId(datasetId, name),
                CreatedAt = DateTime.UtcNow,
            };
            var added = await datasets.AddAsync(record);
            logger.LogInformation("Dataset {DatasetId}: {Bytes} bytes of {Format} for {AccountId}", datasetId, staged.SizeBytes, record.Format, accountId);
            return added;
        }
        finally
        {
            await store.DiscardStagingAsync(staging, CancellationToken.None);
        }
    }
}
