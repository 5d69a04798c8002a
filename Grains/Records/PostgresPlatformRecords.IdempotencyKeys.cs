using Npgsql;

namespace RadMah.Grains.Records;

/// <summary>Idempotency keys of job creation.</summary>
public sealed partial class PostgresPlatformRecords
{
    // Takes the key when it is free or expired; otherwise reads the live claim. The read sees the
    // statement's snapshot, which can miss a claim committed by a concurrent insert the upsert
    // waited for: then nothing comes back, and the statement runs again.
    private const string ClaimSql = """
        WITH claimed AS (
            INSERT INTO radmah_idempotency_keys (service_id, account_id, idem_key, fingerprint, job_id, created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (service_id, account_id, idem_key) DO UPDATE
                SET fingerprint = EXCLUDED.fingerprint, job_id = EXCLUDED.job_id, created_at = EXCLUDED.created_at
                WHERE radmah_idempotency_keys.created_at < $7
            RETURNING fingerprint, job_id, created_at)
        SELECT fingerprint, job_id, created_at FROM claimed
        UNION ALL
        SELECT fingerprint, job_id, created_at FROM radmah_idempotency_keys
        WHERE service_id = $1 AND account_id = $2 AND idem_key = $3 AND NOT EXISTS (SELECT 1 FROM claimed)
        """;

    public async Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyClaim claim, DateTime expiredBefore, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            IdempotencyClaim? held = null;
            await Translated(async () =>
            {
                await using var command = dataSource.CreateCommand(ClaimSql);
                command.Parameters.Add(new() { Value = serviceId });
                command.Parameters.Add(new() { Value = claim.AccountId });
                command.Parameters.Add(new() { Value = claim.Key });
                command.Parameters.Add(new() { Value = claim.Fingerprint });
                command.Parameters.Add(new() { Value = claim.JobId });
                command.Parameters.Add(new() { Value = Utc(claim.CreatedAt) });
                command.Parameters.Add(new() { Value = Utc(expiredBefore) });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                    held = claim with { Fingerprint = reader.GetString(0), JobId = reader.GetString(1), CreatedAt = reader.GetFieldValue<DateTime>(2) };
            });
            if (held is not null) return held;
            if (attempt == 3) throw new InvalidOperationException($"idempotency key of account {claim.AccountId} could be neither claimed nor read.");
        }
    }

    public async Task ReleaseIdempotencyKeyAsync(string accountId, string key, string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM radmah_idempotency_keys WHERE service_id = $1 AND account_id = $2 AND idem_key = $3 AND job_id = $4");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = jobId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteIdempotencyKeysAsync(string accountId, DateTime before, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM radmah_idempotency_keys WHERE service_id = $1 AND account_id = $2 AND created_at < $3");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = Utc(before) });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
