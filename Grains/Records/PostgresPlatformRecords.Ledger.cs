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
