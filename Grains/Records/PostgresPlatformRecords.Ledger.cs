using Npgsql;
using NpgsqlTypes;
using RadMah.Grains.Interfaces.Credits;

namespace RadMah.Grains.Records;

/// <summary>Credit ledger entries: one sequence per account, at most one hold, debit or release per job.</summary>
public sealed partial class PostgresPlatformRecords
{
    public async Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sequence, entry_kind, amount, job_id, reason, at_utc FROM radmah_ledger_entries WHERE service_id = $1 AND account_id = $2 ORDER BY sequence");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<LedgerSummary> ReadLedgerSummaryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long last;
        decimal balance;
        await using (var totals = new NpgsqlCommand(
            "SELECT COALESCE(MAX(sequence), 0), COALESCE(SUM(CASE entry_kind WHEN 'deposit' THEN amount WHEN 'debit' THEN -amount ELSE 0 END), 0) " +
            "FROM radmah_ledger_entries WHERE service_id = $1 AND account_id = $2", connection, transaction))
        {
            totals.Parameters.Add(new() { Value = serviceId });
            totals.Parameters.Add(new() { Value = accountId });
            await using var reader = await totals.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (last, balance) = (reader.GetInt64(0), reader.GetDecimal(1));
        }
        await using var holds = new NpgsqlCommand(
            "SELECT h.sequence, h.entry_kind, h.amount, h.job_id, h.reason, h.at_utc FROM radmah_ledger_entries h " +
            "WHERE h.service_id = $1 AND h.account_id = $2 AND h.entry_kind = 'hold' AND NOT EXISTS (SELECT 1 FROM radmah_ledger_entries s " +
            "WHERE s.service_id = h.service_id AND s.job_id = h.job_id AND s.entry_kind IN ('debit', 'release')) ORDER BY h.sequence", connection, transaction);
        holds.Parameters.Add(new() { Value = serviceId });
        holds.Parameters.Add(new() { Value = accountId });
        var open = await ReadEntriesAsync(holds, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LedgerSummary(last, balance, open);
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadJobLedgerAsync(string accountId, string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sequence, entry_kind, amount, job_id, reason, at_utc FROM radmah_ledger_entries WHERE service_id = $1 AND job_id = $2 AND account_id = $3 ORDER BY sequence");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = jobId });
        command.Parameters.Add(new() { Value = accountId });
        return await ReadEntriesAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<LedgerEntry>();
        while (await reader.ReadAsync(cancellationToken))
            entries.Add(new LedgerEntry(reader.GetInt64(0), RecordEncoding.ParseKind(reader.GetString(1)), reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTime>(5)));
        return entries;
    }

    public Task AppendLedgerAsync(string accountId, LedgerEntry entry, CancellationToken cancellationToken = default) =>
        Translated(async () =>
        {
            await using var command = LedgerInsert(accountId, entry);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            command.Connection = connection;
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    private NpgsqlCommand LedgerInsert(string accountId, LedgerEntry entry)
    {
        var command = new NpgsqlCommand(
            "INSERT INTO radmah_ledger_entries (service_id, account_id, sequence, entry_kind, amount, job_id, reason, at_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.Add(new() { Value = serviceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = entry.Sequence });
        command.Parameters.Add(new() { Value = RecordEncoding.KindName(entry.Kind) });
        command.Parameters.Add(new() { Value = entry.Amount });
        command.Parameters.Add(new() { Value = (object?)entry.JobId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new() { Value = entry.Reason });
        command.Parameters.Add(new() { Value = Utc(entry.AtUtc) });
        return command;
    }
}
