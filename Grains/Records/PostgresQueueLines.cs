using Npgsql;
using Orleans.Storage;
using RadMah.Grains.Queues;

namespace RadMah.Grains.Records;

/// <summary>The queue tiers' lines in PostgreSQL (radmah_queue_entries): a row per job, written only where it changed, in one transaction per write.</summary>
public sealed class PostgresQueueLines(NpgsqlDataSource dataSource, string serviceId) : IQueueLines
{
    public async Task<StoredQueueLine> ReadAsync(string tier, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long version;
        await using (var command = new NpgsqlCommand("SELECT version FROM radmah_queue_lines WHERE service_id = $1 AND tier = $2", connection, transaction))
        {
            command.Parameters.Add(new() { Value = serviceId });
            command.Parameters.Add(new() { Value = tier });
            version = await command.ExecuteScalarAsync(cancellationToken) is long v ? v : 0L;
        }
        var rows = new List<QueueLineRow>();
        await using (var command = new NpgsqlCommand("SELECT job_id, position, silo FROM radmah_queue_entries WHERE service_id = $1 AND tier = $2 ORDER BY position", connection, transaction))
        {
            command.Parameters.Add(new() { Value = serviceId });
            command.Parameters.Add(new() { Value = tier });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(new QueueLineRow(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        await transaction.CommitAsync(cancellationToken);
        return new StoredQueueLine(version, rows);
    }

    public async Task<long> WriteAsync(string tier, long expectedVersion, IReadOnlyCollection<QueueLineChange> changes, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var version = new NpgsqlCommand(expectedVersion == 0
            ? "INSERT INTO radmah_queue_lines (service_id, tier, version) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING"
            : "UPDATE radmah_queue_lines SET version = version + 1 WHERE service_id = $1 AND tier = $2 AND version = $3", connection, transaction))
        {
            version.Parameters.Add(new() { Value = serviceId });
            version.Parameters.Add(new() { Value = tier });
            if (expectedVersion != 0) version.Parameters.Add(new() { Value = expectedVersion });
            if (await version.ExecuteNonQueryAsync(cancellationToken) != 1)
                throw new InconsistentStateException($"the line of queue {tier} was written by another activation (expected version {expectedVersion}).", null, $"{expectedVersion}");
        }
        // Every change in two statements, whatever their number: upserts, then removals, as arrays.
        var upserts = changes.Where(c => c.Row is not null).Select(c => c.Row!).ToArray();
        var removals = changes.Where(c => c.Row is null).Select(c => c.JobId).ToArray();
        if (upserts.Length > 0)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO radmah_queue_entries (service_id, tier, job_id, position, silo) SELECT $1, $2, j, p, s FROM unnest($3::text[], $4::bigint[], $5::text[]) AS u(j, p, s) " +
                "ON CONFLICT (service_id, tier, job_id) DO UPDATE SET position = excluded.position, silo = excluded.silo", connection, transaction);
            upsert.Parameters.Add(new() { Value = serviceId });
            upsert.Parameters.Add(new() { Value = tier });
            upsert.Parameters.Add(new() { Value = upserts.Select(r => r.JobId).ToArray() });
            upsert.Parameters.Add(new() { Value = upserts.Select(r => r.Position).ToArray() });
            upsert.Parameters.Add(new() { Value = upserts.Select(r => r.Silo).ToArray() });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (removals.Length > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM radmah_queue_entries WHERE service_id = $1 AND tier = $2 AND job_id = ANY($3::text[])", connection, transaction);
            delete.Parameters.Add(new() { Value = serviceId });
            delete.Parameters.Add(new() { Value = tier });
            delete.Parameters.Add(new() { Value = removals });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return expectedVersion + 1;
    }
}
