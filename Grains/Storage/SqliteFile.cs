using Microsoft.Data.Sqlite;

namespace RadMah.Grains.Storage;

/// <summary>
/// The embedded node's one durable file: connections with the same settings for the platform
/// records, grain state and reminders (WAL, foreign keys, a 30 s wait for the write lock), and the
/// schema (deploy/sql/sqlite/radmah-platform.sql) applied when it is opened.
/// </summary>
public sealed class SqliteFile
{
    private readonly string _connectionString;

    private SqliteFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens the file (creating it when missing) and brings its schema up to date.</summary>
    public static SqliteFile Open(string path)
    {
        var file = new SqliteFile(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file.Path)!);
        using var connection = file.Connect();
        using var stream = typeof(SqliteFile).Assembly.GetManifestResourceStream("RadMah.Grains.Records.radmah-platform.sqlite.sql")
            ?? throw new InvalidOperationException("the SQLite schema is not embedded in the grains assembly.");
        using var reader = new StreamReader(stream);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;\n" + reader.ReadToEnd();
        command.ExecuteNonQuery();
        return file;
    }

    /// <summary>
    /// A pooled connection, set for every use (the settings are per connection): foreign keys on;
    /// synchronous NORMAL, which in WAL mode keeps every committed write through a crash or a kill of
    /// the process (only a power cut may lose the last commits; FULL, an fsync per commit, made a
    /// tiny job 3–5 times slower here); and SQLite's own busy handler, which waits for the write lock
    /// far more finely than the client library's retry loop (without it a contended write waited
    /// up to 300 ms).
    /// </summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue("$" + (i + 1), values[i] ?? DBNull.Value);
        return command;
    }
}
