namespace RadMah.Silo;

/// <summary>The one switch that chooses every provider: clustering, grain storage and reminders.</summary>
public enum StorageProfile
{
    /// <summary>The embedded default: localhost clustering, process-memory grain state, in-memory reminders.</summary>
    Memory,

    /// <summary>Orleans' ADO.NET providers on PostgreSQL (invariant "Npgsql"), schema from deploy/sql.</summary>
    Postgres,

    /// <summary>One node, durable in one SQLite file under --data (radmah.db): grain state, reminders and the platform records.</summary>
    Sqlite,
}
