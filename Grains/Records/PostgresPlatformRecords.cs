using Npgsql;

namespace RadMah.Grains.Records;

/// <summary>
/// The system of record in PostgreSQL: the radmah_* tables of deploy/sql/05-radmah-platform.sql,
/// one service id's rows. Constraint violations surface as <see cref="DuplicateRecordException"/>
/// (unique keys) and <see cref="RecordRuleException"/> (checks and foreign keys), named by constraint.
/// </summary>
public sealed partial class PostgresPlatformRecords(NpgsqlDataSource dataSource, string serviceId) : IPlatformRecords
{
    /// <summary>Runs a write and turns PostgreSQL's constraint errors into the store's exceptions.</summary>
    private static async Task Translated(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateRecordException(ex.ConstraintName ?? "a unique key", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation)
        {
            throw new RecordRuleException(ex.ConstraintName ?? ex.MessageText, ex);
        }
    }

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);
}
