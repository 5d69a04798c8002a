using Npgsql;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Datasets;

namespace RadMah.Grains.Records;

/// <summary>Artifact records, and uploaded datasets with their artifact.</summary>
public sealed partial class PostgresPlatformRecords
{
    public async Task<ArtifactRecord?> FindArtifactAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT job_id, account_id, artifact_type, content_hash, size_bytes, media_type, name, created_at FROM radmah_artifacts WHERE service_id = $1 AND artifact_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = artifactId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ArtifactRecord
        {
            Id = artifactId,
            JobId = reader.GetString(0),
            AccountId = reader.GetString(1),
            ArtifactType = reader.GetString(2),
            ContentHash = reader.GetString(3),
            SizeBytes = reader.GetInt64(4),
            MediaType = reader.GetString(5),
            Name = reader.GetString(6),
            CreatedAt = reader.GetFieldValue<DateTime>(7),
        };
    }

    public Task AddArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = ArtifactInsert(artifact, connection, null);
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    private NpgsqlCommand ArtifactInsert(ArtifactRecord artifact, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var command = new NpgsqlCommand(
            "INSERT INTO radmah_artifacts (service_id, artifact_id, job_id, account_id, artifact_type, content_hash, size_bytes, media_type, name, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection, transaction);
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = artifact.Id });
        command.Parameters.Add(new() { Value = artifact.JobId });
        command.Parameters.Add(new() { Value = artifact.AccountId });
        command.Parameters.Add(new() { Value = artifact.ArtifactType });
        command.Parameters.Add(new() { Value = artifact.ContentHash });
        command.Parameters.Add(new() { Value = artifact.SizeBytes });
        command.Parameters.Add(new() { Value = artifact.MediaType });
        command.Parameters.Add(new() { Value = artifact.Name });
        command.Parameters.Add(new() { Value = Utc(artifact.CreatedAt) });
        return command;
    }

    public Task AddDatasetAsync(DatasetRecord dataset, ArtifactRecord artifact, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = ArtifactInsert(artifact, connection, transaction)) await command.ExecuteNonQueryAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "INSERT INTO radmah_datasets (service_id, dataset_id, account_id, name, format, content_hash, size_bytes, artifact_id, created_at) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection, transaction))
            {
                command.Parameters.Add(new() { Value = serviceId });
                command.Parameters.Add(new() { Value = dataset.Id });
                command.Parameters.Add(new() { Value = dataset.AccountId });
                command.Parameters.Add(new() { Value = dataset.Name });
                command.Parameters.Add(new() { Value = dataset.Format });
                command.Parameters.Add(new() { Value = dataset.ContentHash });
                command.Parameters.Add(new() { Value = dataset.SizeBytes });
                command.Parameters.Add(new() { Value = dataset.ArtifactId });
                command.Parameters.Add(new() { Value = Utc(dataset.CreatedAt) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        });

    private const string DatasetColumns = "dataset_id, account_id, name, format, content_hash, size_bytes, artifact_id, created_at";

    private static DatasetRecord ReadDataset(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        AccountId = reader.GetString(1),
        Name = reader.GetString(2),
        Format = reader.GetString(3),
        ContentHash = reader.GetString(4),
        SizeBytes = reader.GetInt64(5),
        ArtifactId = reader.GetString(6),
        CreatedAt = reader.GetFieldValue<DateTime>(7),
    };

    public async Task<DatasetRecord?> FindDatasetAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DatasetColumns} FROM radmah_datasets WHERE service_id = $1 AND dataset_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = datasetId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDataset(reader) : null;
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {DatasetColumns} FROM radmah_datasets WHERE service_id = $1 AND account_id = $2 ORDER BY created_at DESC, dataset_id");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<DatasetRecord>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(ReadDataset(reader));
        return result;
    }
}
