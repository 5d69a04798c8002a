using Npgsql;
using NpgsqlTypes;
using RadMah.Grains.Interfaces.Credits;

namespace RadMah.Grains.Records;

/// <summary>Accounts and the hashes of their API keys.</summary>
public sealed partial class PostgresPlatformRecords
{
    public async Task<AccountRow?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT plan, test_account, created_at FROM radmah_accounts WHERE service_id = $1 AND account_id = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new AccountRow(accountId, reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<DateTime>(2));
    }

    public Task CreateAccountAsync(AccountRow account, LedgerEntry? startingDeposit, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "INSERT INTO radmah_accounts (service_id, account_id, plan, test_account, created_at) VALUES ($1, $2, $3, $4, $5)", connection, transaction))
            {
                command.Parameters.Add(new() { Value = serviceId });
                command.Parameters.Add(new() { Value = account.AccountId });
                command.Parameters.Add(new() { Value = account.Plan });
                command.Parameters.Add(new() { Value = account.TestAccount });
                command.Parameters.Add(new() { Value = Utc(account.CreatedAt) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (startingDeposit is not null)
            {
                await using var deposit = LedgerInsert(account.AccountId, startingDeposit);
                deposit.Connection = connection;
                deposit.Transaction = transaction;
                await deposit.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        });

    public Task AddApiKeyAsync(ApiKeyRow key, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "INSERT INTO radmah_api_keys (service_id, key_hash, account_id, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)");
            command.Parameters.Add(new() { Value = serviceId });
            command.Parameters.Add(new() { Value = key.KeyHash });
            command.Parameters.Add(new() { Value = key.AccountId });
            command.Parameters.Add(new() { Value = Utc(key.CreatedAt) });
            command.Parameters.Add(new() { Value = key.RevokedAt is { } revoked ? Utc(revoked) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public async Task<ApiKeyRow?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var rows = await ReadApiKeysAsync("key_hash", keyHash, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ApiKeyRow>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken = default) =>
        ReadApiKeysAsync("account_id", accountId, cancellationToken);

    public async Task<bool> RevokeApiKeyAsync(string keyHash, DateTime revokedAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE radmah_api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE service_id = $1 AND key_hash = $2");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = keyHash });
        command.Parameters.Add(new() { Value = Utc(revokedAt) });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<ApiKeyRow>> ReadApiKeysAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT key_hash, account_id, created_at, revoked_at FROM radmah_api_keys WHERE service_id = $1 AND {column} = $2 ORDER BY created_at");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ApiKeyRow>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ApiKeyRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTime>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTime>(3)));
        return rows;
    }
}
