using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RadMah.Grains.Interfaces.Credits;

namespace RadMah.Grains.Records;

/// <summary>
/// The system of record in one SQLite file (deploy/sql/sqlite/radmah-platform.sql): the tables and
/// rules of the PostgreSQL store, for a single node that must keep its accounts, keys, credits and
/// seal log across restarts. WAL mode, so readers never block the writer; foreign keys on for every
/// connection; each write is atomic (a savepoint of the file's group commit, Storage/SqliteFile). Constraint errors
/// surface as <see cref="DuplicateRecordException"/> and <see cref="RecordRuleException"/> under
/// the PostgreSQL store's rule names.
/// </summary>
public sealed partial class SqlitePlatformRecords : IPlatformRecords
{
    private const long MicroCredits = 1_000_000;
    private readonly Storage.SqliteFile _file;
    private readonly string _serviceId;

    public SqlitePlatformRecords(Storage.SqliteFile file, string serviceId)
    {
        _file = file;
        _serviceId = serviceId;
    }

    /// <summary>Opens (creating when missing) the records file and brings its schema up to date.</summary>
    public static SqlitePlatformRecords Open(string path, string serviceId) => new(Storage.SqliteFile.Open(path), serviceId);

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read) => Task.FromResult(_file.Read(read));

    private static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] values) => Storage.SqliteFile.Command(connection, sql, values);

    /// <summary>Runs a write in the file's next transaction and turns SQLite's constraint errors into the store's exceptions.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, string? foreignKey = null)
    {
        try
        {
            return await _file.WriteAsync(write);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw Translate(ex, foreignKey);
        }
    }

    private Task WriteAsync(Action<SqliteConnection> write, string? foreignKey = null) => WriteAsync(c => { write(c); return 0; }, foreignKey);

    private static Exception Translate(SqliteException ex, string? foreignKey)
    {
        var message = ex.Message;
        if (UniquePattern().Match(message) is { Success: true } unique)
        {
            var rule = unique.Groups["index"].Success ? unique.Groups["index"].Value
                : UniqueRules.GetValueOrDefault(unique.Groups["columns"].Value.Trim().TrimEnd('\'', '.'), "a unique key");
            return new DuplicateRecordException(rule, ex);
        }
        if (CheckPattern().Match(message) is { Success: true } check) return new RecordRuleException(check.Groups["name"].Value, ex);
        if (message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal)) return new RecordRuleException(foreignKey ?? "a foreign key", ex);
        if (message.Contains("fk_radmah_ledger_settles_hold", StringComparison.Ordinal)) return new RecordRuleException("fk_radmah_ledger_settles_hold", ex);
        return new RecordRuleException(message, ex);
    }

    /// <summary>SQLite names a broken unique key by its columns; these are the PostgreSQL store's names for them.</summary>
    private static readonly Dictionary<string, string> UniqueRules = new(StringComparer.Ordinal)
    {
        ["radmah_accounts.service_id, radmah_accounts.account_id"] = "pk_radmah_accounts",
        ["radmah_api_keys.service_id, radmah_api_keys.key_hash"] = "pk_radmah_api_keys",
        ["radmah_ledger_entries.service_id, radmah_ledger_entries.account_id, radmah_ledger_entries.sequence"] = "pk_radmah_ledger_entries",
        ["radmah_ledger_entries.service_id, radmah_ledger_entries.job_id, radmah_ledger_entries.entry_kind"] = "ux_radmah_ledger_one_per_job_and_kind",
        ["radmah_ledger_entries.service_id, radmah_ledger_entries.job_id"] = "ux_radmah_ledger_one_settlement",
        ["radmah_seals.service_id, radmah_seals.seal_index"] = "pk_radmah_seals",
        ["radmah_seals.service_id, radmah_seals.job_id"] = "ux_radmah_seals_job",
        ["radmah_seal_checkpoints.service_id, radmah_seal_checkpoints.tree_size"] = "pk_radmah_seal_checkpoints",
        ["radmah_artifacts.service_id, radmah_artifacts.artifact_id"] = "pk_radmah_artifacts",
        ["radmah_artifacts.service_id, radmah_artifacts.job_id, radmah_artifacts.name"] = "ux_radmah_artifacts_job_name",
        ["radmah_datasets.service_id, radmah_datasets.dataset_id"] = "pk_radmah_datasets",
        ["radmah_idempotency_keys.service_id, radmah_idempotency_keys.account_id, radmah_idempotency_keys.idem_key"] = "pk_radmah_idempotency_keys",
    };

    [GeneratedRegex(@"UNIQUE constraint failed: (index '(?<index>[^']+)'|(?<columns>[^']+))")]
    private static partial Regex UniquePattern();

    [GeneratedRegex(@"CHECK constraint failed: (?<name>[A-Za-z0-9_]+)")]
    private static partial Regex CheckPattern();

    private static long Ticks(DateTime value) => (value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc)).Ticks;

    private static DateTime Instant(long ticks) => new(ticks, DateTimeKind.Utc);

    private static long Micro(decimal credits)
    {
        var micro = credits * MicroCredits;
        if (micro != decimal.Truncate(micro)) throw new RecordRuleException("ck_radmah_ledger_amount (credits are exact to 6 decimals)");
        return (long)micro;
    }

    // Accounts and keys.

    public Task<AccountRow?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) => ReadAsync<AccountRow?>(connection =>
    {
        using var command = Command(connection, "SELECT plan, test_account, created_at FROM radmah_accounts WHERE service_id = $1 AND account_id = $2", _serviceId, accountId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AccountRow(accountId, reader.GetString(0), reader.GetInt64(1) != 0, Instant(reader.GetInt64(2))) : null;
    });

    public Task CreateAccountAsync(AccountRow account, LedgerEntry? startingDeposit, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using (var insert = Command(connection, "INSERT INTO radmah_accounts (service_id, account_id, plan, test_account, created_at) VALUES ($1, $2, $3, $4, $5)",
                       _serviceId, account.AccountId, account.Plan, account.TestAccount ? 1 : 0, Ticks(account.CreatedAt)))
            {
                insert.ExecuteNonQuery();
            }
            if (startingDeposit is not null) InsertLedger(connection, account.AccountId, startingDeposit);
        });

    public Task AddApiKeyAsync(ApiKeyRow key, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, "INSERT INTO radmah_api_keys (service_id, key_hash, account_id, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)",
                _serviceId, key.KeyHash, key.AccountId, Ticks(key.CreatedAt), key.RevokedAt is { } revoked ? Ticks(revoked) : null);
            command.ExecuteNonQuery();
        }, "fk_radmah_api_keys_account");

    public async Task<ApiKeyRow?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var rows = await ApiKeysAsync("key_hash", keyHash);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ApiKeyRow>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken = default) => ApiKeysAsync("account_id", accountId);

    public Task<bool> RevokeApiKeyAsync(string keyHash, DateTime revokedAt, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            using var command = Command(connection, "UPDATE radmah_api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE service_id = $1 AND key_hash = $2", _serviceId, keyHash, Ticks(revokedAt));
            return command.ExecuteNonQuery() == 1;
        });

    private Task<IReadOnlyList<ApiKeyRow>> ApiKeysAsync(string column, string value) => ReadAsync<IReadOnlyList<ApiKeyRow>>(connection =>
    {
        using var command = Command(connection, $"SELECT key_hash, account_id, created_at, revoked_at FROM radmah_api_keys WHERE service_id = $1 AND {column} = $2 ORDER BY created_at", _serviceId, value);
        using var reader = command.ExecuteReader();
        var rows = new List<ApiKeyRow>();
        while (reader.Read())
            rows.Add(new ApiKeyRow(reader.GetString(0), reader.GetString(1), Instant(reader.GetInt64(2)), reader.IsDBNull(3) ? null : Instant(reader.GetInt64(3))));
        return rows;
    });

    // The ledger.

    public Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(string accountId, CancellationToken cancellationToken = default) => ReadAsync(connection =>
        ReadEntries(Command(connection, "SELECT sequence, entry_kind, amount, job_id, reason, at_utc FROM radmah_ledger_entries WHERE service_id = $1 AND account_id = $2 ORDER BY sequence", _serviceId, accountId)));

    public Task<LedgerSummary> ReadLedgerSummaryAsync(string accountId, CancellationToken cancellationToken = default) => ReadAsync(connection =>
    {
        using var totals = Command(connection,
            "SELECT COALESCE(MAX(sequence), 0), COALESCE(SUM(CASE entry_kind WHEN 'deposit' THEN amount WHEN 'debit' THEN -amount ELSE 0 END), 0) " +
            "FROM radmah_ledger_entries WHERE service_id = $1 AND account_id = $2", _serviceId, accountId);
        using var reader = totals.ExecuteReader();
        reader.Read();
        var (last, balance) = (reader.GetInt64(0), (decimal)reader.GetInt64(1) / MicroCredits);
        return new LedgerSummary(last, balance, ReadEntries(Command(connection,
            "SELECT h.sequence, h.entry_kind, h.amount, h.job_id, h.reason, h.at_utc FROM radmah_ledger_entries h " +
            "WHERE h.service_id = $1 AND h.account_id = $2 AND h.entry_kind = 'hold' AND NOT EXISTS (SELECT 1 FROM radmah_ledger_entries s " +
            "WHERE s.service_id = h.service_id AND s.job_id = h.job_id AND s.entry_kind IN ('debit', 'release')) ORDER BY h.sequence", _serviceId, accountId)));
    });

    public Task<IReadOnlyList<LedgerEntry>> ReadJobLedgerAsync(string accountId, string jobId, CancellationToken cancellationToken = default) => ReadAsync(connection =>
        ReadEntries(Command(connection,
            "SELECT sequence, entry_kind, amount, job_id, reason, at_utc FROM radmah_ledger_entries WHERE service_id = $1 AND job_id = $2 AND account_id = $3 ORDER BY sequence",
            _serviceId, jobId, accountId)));

    private static IReadOnlyList<LedgerEntry> ReadEntries(SqliteCommand command)
    {
        using var owned = command;
        using var reader = command.ExecuteReader();
        var entries = new List<LedgerEntry>();
        while (reader.Read())
            entries.Add(new LedgerEntry(reader.GetInt64(0), RecordEncoding.ParseKind(reader.GetString(1)), (decimal)reader.GetInt64(2) / MicroCredits,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), Instant(reader.GetInt64(5))));
        return entries;
    }

    public Task AppendLedgerAsync(string accountId, LedgerEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync(connection => InsertLedger(connection, accountId, entry));

    private void InsertLedger(SqliteConnection connection, string accountId, LedgerEntry entry)
    {
        using var command = Command(connection, "INSERT INTO radmah_ledger_entries (service_id, account_id, sequence, entry_kind, amount, job_id, reason, at_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            _serviceId, accountId, entry.Sequence, RecordEncoding.KindName(entry.Kind), Micro(entry.Amount), entry.JobId, entry.Reason, Ticks(entry.AtUtc));
        command.ExecuteNonQuery();
    }
}
