using Orleans.Storage;
using RadMah.Grains.Queues;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Records;

/// <summary>The queue tiers' lines in the SQLite file: a row per job, written only where it changed, in the file's group commit.</summary>
public sealed class SqliteQueueLines(SqliteFile file, string serviceId) : IQueueLines
{
    public Task<StoredQueueLine> ReadAsync(string tier, CancellationToken cancellationToken = default) => Task.FromResult(file.Read(connection =>
    {
        using var version = SqliteFile.Command(connection, "SELECT version FROM radmah_queue_lines WHERE service_id = $1 AND tier = $2", serviceId, tier);
        var stored = version.ExecuteScalar() is long v ? v : 0L;
        using var command = SqliteFile.Command(connection, "SELECT job_id, position, silo FROM radmah_queue_entries WHERE service_id = $1 AND tier = $2 ORDER BY position", serviceId, tier);
        using var reader = command.ExecuteReader();
        var rows = new List<QueueLineRow>();
        while (reader.Read()) rows.Add(new QueueLineRow(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return new StoredQueueLine(stored, rows);
    }));

    public Task<long> WriteAsync(string tier, long expectedVersion, IReadOnlyCollection<QueueLineChange> changes, CancellationToken cancellationToken = default) =>
        file.WriteAsync(connection =>
        {
            using (var version = expectedVersion == 0
                ? SqliteFile.Command(connection, "INSERT INTO radmah_queue_lines (service_id, tier, version) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING", serviceId, tier)
                : SqliteFile.Command(connection, "UPDATE radmah_queue_lines SET version = version + 1 WHERE service_id = $1 AND tier = $2 AND version = $3", serviceId, tier, expectedVersion))
            {
                if (version.ExecuteNonQuery() != 1)
                    throw new InconsistentStateException($"the line of queue {tier} was written by another activation (expected version {expectedVersion}).", null, $"{expectedVersion}");
            }
            using var upsert = SqliteFile.Command(connection,
                "INSERT INTO radmah_queue_entries (service_id, tier, job_id, position, silo) VALUES ($1, $2, $3, $4, $5) " +
                "ON CONFLICT (service_id, tier, job_id) DO UPDATE SET position = excluded.position, silo = excluded.silo",
                serviceId, tier, "", 0L, null);
            using var delete = SqliteFile.Command(connection, "DELETE FROM radmah_queue_entries WHERE service_id = $1 AND tier = $2 AND job_id = $3", serviceId, tier, "");
            foreach (var change in changes)
            {
                if (change.Row is { } row)
                {
                    upsert.Parameters[2].Value = row.JobId;
                    upsert.Parameters[3].Value = row.Position;
                    upsert.Parameters[4].Value = (object?)row.Silo ?? DBNull.Value;
                    upsert.ExecuteNonQuery();
                }
                else
                {
                    delete.Parameters[2].Value = change.JobId;
                    delete.ExecuteNonQuery();
                }
            }
            return expectedVersion + 1;
        });
}
