using System.Globalization;
using Orleans.Runtime;

namespace RadMah.Grains.Storage;

/// <summary>
/// Orleans reminders in the embedded node's SQLite file, as Orleans' ADO.NET reminder table keeps
/// them: per grain and name, the start instant, the period, the grain's uniform hash (for range
/// reads) and a version that is the ETag.
/// </summary>
public sealed class SqliteReminderTable(SqliteFile file, string serviceId) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_ticks, period_ms, version";

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Read($"SELECT {Columns} FROM radmah_reminders WHERE service_id = $1 AND grain_id = $2", serviceId, grainId.ToString());

    /// <summary>Rows whose grain hash is in (begin, end]; when begin ≥ end the range wraps around.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => begin < end
        ? Read($"SELECT {Columns} FROM radmah_reminders WHERE service_id = $1 AND grain_hash > $2 AND grain_hash <= $3", serviceId, (long)begin, (long)end)
        : Read($"SELECT {Columns} FROM radmah_reminders WHERE service_id = $1 AND (grain_hash > $2 OR grain_hash <= $3)", serviceId, (long)begin, (long)end);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await Read($"SELECT {Columns} FROM radmah_reminders WHERE service_id = $1 AND grain_id = $2 AND reminder_name = $3", serviceId, grainId.ToString(), reminderName);
        return rows.Reminders.FirstOrDefault();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var version = await file.WriteAsync(connection =>
        {
            using var command = SqliteFile.Command(connection,
                "INSERT INTO radmah_reminders (service_id, grain_id, reminder_name, start_ticks, period_ms, grain_hash, version) VALUES ($1, $2, $3, $4, $5, $6, 1) " +
                "ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET start_ticks = excluded.start_ticks, period_ms = excluded.period_ms, version = version + 1 " +
                "RETURNING version",
                serviceId, entry.GrainId.ToString(), entry.ReminderName, Utc(entry.StartAt).Ticks, (long)entry.Period.TotalMilliseconds, (long)entry.GrainId.GetUniformHashCode());
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        return version.ToString(CultureInfo.InvariantCulture);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        file.WriteAsync(connection =>
        {
            using var command = SqliteFile.Command(connection, "DELETE FROM radmah_reminders WHERE service_id = $1 AND grain_id = $2 AND reminder_name = $3 AND version = $4",
                serviceId, grainId.ToString(), reminderName, long.Parse(eTag, CultureInfo.InvariantCulture));
            return command.ExecuteNonQuery() == 1;
        });

    public Task TestOnlyClearTable() =>
        file.WriteAsync(connection =>
        {
            using var command = SqliteFile.Command(connection, "DELETE FROM radmah_reminders WHERE service_id = $1", serviceId);
            command.ExecuteNonQuery();
        });

    private Task<ReminderTableData> Read(string sql, params object?[] values) => Task.FromResult(file.Read(connection =>
    {
        using var command = SqliteFile.Command(connection, sql, values);
        using var reader = command.ExecuteReader();
        var rows = new List<ReminderEntry>();
        while (reader.Read())
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        return new ReminderTableData(rows);
    }));

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value.ToUniversalTime(),
    };
}
