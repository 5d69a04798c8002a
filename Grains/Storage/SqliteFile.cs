using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RadMah.Grains.Storage;

/// <summary>
/// The embedded node's one durable file (deploy/sql/sqlite/radmah-platform.sql, applied when it is
/// opened) and the only way to it: the platform records, grain state and reminders all read and
/// write through here.
/// <para>
/// Writes go to one writer thread with its own connection, which commits whatever is waiting as
/// one transaction (group commit): a commit costs the same for one write as for a hundred, and
/// SQLite has a single writer anyway. Each write runs in a savepoint of its own, so one that fails
/// (a refused version, a broken rule) is undone alone and fails alone; a write's task completes only
/// after its transaction has committed. Reads use connections of their own, and in WAL mode they
/// never wait for the writer.
/// </para>
/// </summary>
public sealed class SqliteFile : IDisposable
{
    /// <summary>Writes committed together at most: bounds a transaction's time, so readers see new data promptly.</summary>
    private const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly Queue<Write> _writes = new();
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private readonly Thread _writer;
    private bool _stopping;

    private SqliteFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        // Pooling off: the readers are kept open here, and the writer's connection lives as long as the file.
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 30, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "radmah-sqlite-writer" };
    }

    public string Path { get; }

    /// <summary>Opens the file (creating it when missing), brings its schema up to date and starts its writer.</summary>
    public static SqliteFile Open(string path)
    {
        var file = new SqliteFile(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file.Path)!);
        using (var connection = file.Connect())
        {
            using var stream = typeof(SqliteFile).Assembly.GetManifestResourceStream("RadMah.Grains.Records.radmah-platform.sqlite.sql")
                ?? throw new InvalidOperationException("the SQLite schema is not embedded in the grains assembly.");
            using var reader = new StreamReader(stream);
            var schema = reader.ReadToEnd();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;\n" + schema;
            command.ExecuteNonQuery();
            WidenDatasetFormats(connection, schema);
        }
        file._writer.Start();
        return file;
    }

    /// <summary>
    /// A file made before the platform recorded ARFF or JSON-array uploads refuses 'arff' or 'json' in
    /// radmah_datasets' format check, and SQLite cannot change a check in place: the table is rebuilt
    /// from the current schema, its rows copied, in one transaction (SQLite's documented procedure for
    /// a changed constraint). Nothing refers to radmah_datasets, so no other table is touched.
    /// </summary>
    private static void WidenDatasetFormats(SqliteConnection connection, string schema)
    {
        using var definition = Command(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'radmah_datasets'");
        var check = (string)definition.ExecuteScalar()!;
        if (check.Contains("'arff'", StringComparison.Ordinal) && check.Contains("'json'", StringComparison.Ordinal)) return;
        using var transaction = connection.BeginTransaction();
        void Run(string sql)
        {
            using var command = Command(connection, sql);
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }
        Run("ALTER TABLE radmah_datasets RENAME TO radmah_datasets_before_widening; DROP INDEX ix_radmah_datasets_account;");
        // The schema's statements are all IF NOT EXISTS: run again, they create only the table and index just moved aside.
        Run(schema);
        Run("INSERT INTO radmah_datasets SELECT * FROM radmah_datasets_before_widening; DROP TABLE radmah_datasets_before_widening;");
        transaction.Commit();
    }

    /// <summary>Runs <paramref name="read"/> on a reading connection; it sees every write whose task has completed.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (!_readers.TryTake(out var connection)) connection = Connect();
        try
        {
            return read(connection);
        }
        finally
        {
            _readers.Add(connection);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the writer's connection, inside the next transaction, in a
    /// savepoint of its own: if it throws, what it did is undone and its task fails with the exception.
    /// The task completes once the transaction has committed.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write)
    {
        var request = new Write<T>(write);
        lock (_writes)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _writes.Enqueue(request);
            if (_writes.Count == 1) Monitor.Pulse(_writes);
        }
        return request.Task;
    }

    public Task WriteAsync(Action<SqliteConnection> write) => WriteAsync(c =>
    {
        write(c);
        return true;
    });

    public static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue("$" + (i + 1), values[i] ?? DBNull.Value);
        return command;
    }

    /// <summary>
    /// A new connection with the settings SQLite keeps per connection: foreign keys on; synchronous
    /// NORMAL, which in WAL mode keeps every committed write through a crash or a kill of the process
    /// (only a power cut may lose the last commits; FULL, an fsync per commit, made a tiny job 3–5
    /// times slower here); and SQLite's own busy handler for the rare wait on another process's lock.
    /// </summary>
    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private void WriteLoop()
    {
        using var connection = Connect();
        using var begin = Statement(connection, "BEGIN IMMEDIATE");
        using var commit = Statement(connection, "COMMIT");
        using var rollback = Statement(connection, "ROLLBACK");
        using var savepoint = Statement(connection, "SAVEPOINT radmah_write");
        using var release = Statement(connection, "RELEASE radmah_write");
        using var undo = Statement(connection, "ROLLBACK TO radmah_write");
        var batch = new List<Write>(MaxBatch);
        while (true)
        {
            lock (_writes)
            {
                while (_writes.Count == 0 && !_stopping) Monitor.Wait(_writes);
                if (_writes.Count == 0) return;
                while (_writes.Count > 0 && batch.Count < MaxBatch) batch.Add(_writes.Dequeue());
            }
            try
            {
                begin.ExecuteNonQuery();
                foreach (var write in batch)
                {
                    savepoint.ExecuteNonQuery();
                    if (!write.Run(connection)) undo.ExecuteNonQuery();
                    release.ExecuteNonQuery();
                }
                commit.ExecuteNonQuery();
                foreach (var write in batch) write.Complete();
            }
            catch (Exception ex)
            {
                // The file itself failed (disk full, I/O error): nothing of the batch is kept, and every write of it hears why.
                try
                {
                    rollback.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // No transaction is open any more.
                }
                foreach (var write in batch) write.Fail(ex);
            }
            batch.Clear();
        }
    }

    private static SqliteCommand Statement(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        lock (_writes)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.Pulse(_writes);
        }
        if (_writer.IsAlive) _writer.Join();
        while (_readers.TryTake(out var connection)) connection.Dispose();
    }

    /// <summary>A queued write; its outcome is told only after the transaction's commit.</summary>
    private abstract class Write
    {
        /// <summary>Runs the write; false when it threw (its exception is kept for <see cref="Complete"/>).</summary>
        public abstract bool Run(SqliteConnection connection);
        public abstract void Complete();
        public abstract void Fail(Exception ex);
    }

    private sealed class Write<T>(Func<SqliteConnection, T> work) : Write
    {
        private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _outcome.Task;

        public override bool Run(SqliteConnection connection)
        {
            try
            {
                _result = work(connection);
                return true;
            }
            catch (Exception ex)
            {
                _error = ex;
                return false;
            }
        }

        public override void Complete()
        {
            if (_error is null) _outcome.TrySetResult(_result!);
            else _outcome.TrySetException(_error);
        }

        public override void Fail(Exception ex) => _outcome.TrySetException(_error ?? ex);
    }
}
