using Microsoft.Data.Sqlite;
using RadMah.Artifacts;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests;

/// <summary>The embedded node's SQLite file: group-committed writes that fail alone, and artifacts small enough to be its rows.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-sqlite-storage-").FullName;
    private readonly SqliteFile _file;

    public SqliteStorageTests() => _file = SqliteFile.Open(Path.Combine(_dir, "radmah.db"));

    public void Dispose()
    {
        _file.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Hash(int i) => "sha256:" + i.ToString("x64");

    private Task InsertAsync(int i) => _file.WriteAsync(connection =>
    {
        using var insert = SqliteFile.Command(connection, "INSERT INTO radmah_blobs (content_hash, bytes) VALUES ($1, $2)", Hash(i), new byte[] { (byte)i });
        insert.ExecuteNonQuery();
    });

    private long Rows() => _file.Read(connection =>
    {
        using var count = SqliteFile.Command(connection, "SELECT count(*) FROM radmah_blobs");
        return (long)count.ExecuteScalar()!;
    });

    [Fact]
    public async Task A_write_that_fails_is_undone_alone_and_the_writes_committed_with_it_stay()
    {
        var before = Enumerable.Range(0, 50).Select(InsertAsync).ToList();
        // Inserts a row, then fails: its row must go with it, whatever else shares its transaction.
        var failing = _file.WriteAsync(connection =>
        {
            using var insert = SqliteFile.Command(connection, "INSERT INTO radmah_blobs (content_hash, bytes) VALUES ($1, x'00')", Hash(1000));
            insert.ExecuteNonQuery();
            throw new InvalidOperationException("the write's own error");
        });
        var duplicate = InsertAsync(7);
        var after = Enumerable.Range(50, 50).Select(InsertAsync).ToList();

        await Task.WhenAll(before.Concat(after));
        Assert.Equal("the write's own error", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(19, (await Assert.ThrowsAsync<SqliteException>(() => duplicate)).SqliteErrorCode);
        Assert.Equal(100, Rows());
        Assert.False(_file.Read(connection =>
        {
            using var select = SqliteFile.Command(connection, "SELECT 1 FROM radmah_blobs WHERE content_hash = $1", Hash(1000));
            return select.ExecuteScalar() is not null;
        }));
    }

    [Fact]
    public async Task A_write_whose_task_completed_is_in_the_file_when_it_is_opened_again()
    {
        await InsertAsync(1);
        _file.Dispose();
        using var reopened = SqliteFile.Open(Path.Combine(_dir, "radmah.db"));
        Assert.Equal(1L, reopened.Read(connection =>
        {
            using var count = SqliteFile.Command(connection, "SELECT count(*) FROM radmah_blobs");
            return (long)count.ExecuteScalar()!;
        }));
        Assert.Throws<ObjectDisposedException>(() => { _ = _file.WriteAsync(_ => 0); });
    }

    private Task AddDatasetAsync(SqliteFile file, string id, string format) => file.WriteAsync(connection =>
    {
        using var insert = SqliteFile.Command(connection,
            "INSERT INTO radmah_artifacts VALUES ('s', $1, $2, 'acct', 'dataset', $3, 3, 'text/plain', 'table', 0);" +
            "INSERT INTO radmah_datasets VALUES ('s', $2, 'acct', 'table', $4, $3, 3, $1, 0)",
            "art_" + id, id, Hash(id.Length), format);
        insert.ExecuteNonQuery();
    });

    private static string[] Datasets(SqliteFile file) => file.Read(connection =>
    {
        using var select = SqliteFile.Command(connection, "SELECT dataset_id || ':' || format FROM radmah_datasets ORDER BY dataset_id");
        using var reader = select.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows.ToArray();
    });

    /// <summary>A file as two earlier releases left it: before ARFF uploads (no 'arff', no 'json'), and before JSON-array uploads were recorded (no 'json').</summary>
    [Theory]
    [InlineData("arff")]
    [InlineData("json")]
    public async Task A_file_made_before_a_format_was_recorded_keeps_its_datasets_and_takes_that_format_when_opened(string format)
    {
        const string csvId = "ds_aaaaaaaaaaaaaaaaaaaa", newId = "ds_bbbbbbbbbbbbbbbbbbbb";
        await _file.WriteAsync(connection =>
        {
            using var insert = SqliteFile.Command(connection, "INSERT INTO radmah_accounts VALUES ('s', 'acct', 'free', 0, 0)");
            insert.ExecuteNonQuery();
        });
        await AddDatasetAsync(_file, csvId, "csv");
        _file.Dispose();
        // The file as the earlier release left it: the same table, with a format check without the formats it did not record.
        using (var old = new SqliteConnection($"Data Source={Path.Combine(_dir, "radmah.db")};Pooling=False"))
        {
            old.Open();
            using var definition = SqliteFile.Command(old, "SELECT sql FROM sqlite_master WHERE name = 'radmah_datasets'");
            var earlier = ((string)definition.ExecuteScalar()!).Replace(", 'json'", "", StringComparison.Ordinal);
            if (format == "arff") earlier = earlier.Replace(", 'arff'", "", StringComparison.Ordinal);
            Assert.DoesNotContain($"'{format}'", earlier, StringComparison.Ordinal);
            using var rebuild = SqliteFile.Command(old, "ALTER TABLE radmah_datasets RENAME TO kept; DROP INDEX ix_radmah_datasets_account; " + earlier +
                "; INSERT INTO radmah_datasets SELECT * FROM kept; DROP TABLE kept;");
            rebuild.ExecuteNonQuery();
            using var refusedThen = SqliteFile.Command(old, "INSERT INTO radmah_datasets VALUES ('s', $1, 'acct', 't', $3, $2, 3, 'art_x', 0)", newId, Hash(1), format);
            Assert.Contains("ck_radmah_datasets_format", Assert.Throws<SqliteException>(() => refusedThen.ExecuteNonQuery()).Message, StringComparison.Ordinal);
        }
        using (var earlierFile = SqliteFile.Open(Path.Combine(_dir, "radmah.db")))
        {
            Assert.Equal([csvId + ":csv"], Datasets(earlierFile));
            await AddDatasetAsync(earlierFile, newId, format);
            Assert.Equal([csvId + ":csv", newId + ":" + format], Datasets(earlierFile));
            var refused = await Assert.ThrowsAsync<SqliteException>(() => AddDatasetAsync(earlierFile, "ds_cccccccccccccccccccc", "xlsx"));
            Assert.Contains("ck_radmah_datasets_format", refused.Message, StringComparison.Ordinal);
        }
        using var reopened = SqliteFile.Open(Path.Combine(_dir, "radmah.db"));
        Assert.Equal([csvId + ":csv", newId + ":" + format], Datasets(reopened));
        Assert.Equal(1L, reopened.Read(connection =>
        {
            using var indexes = SqliteFile.Command(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'ix_radmah_datasets_account'");
            return (long)indexes.ExecuteScalar()!;
        }));
    }

    private static async Task<StagedArtifact> StageAsync(IArtifactStore store, string job, string name, byte[] bytes)
    {
        await using var stream = store.OpenStaging(job, name);
        await stream.WriteAsync(bytes, Ct);
        return await stream.CompleteAsync("application/octet-stream", Ct);
    }

    [Fact]
    public async Task Small_outputs_become_rows_of_the_file_and_large_ones_files_and_both_read_back_checked()
    {
        var files = new LocalDiskArtifactStore(_dir);
        using var store = new SqliteArtifactStore(_file, files);
        var small = await StageAsync(store, "job_a", "dataset.csv", "id\n1\n"u8.ToArray());
        var large = await StageAsync(store, "job_a", "dataset.arrow", Enumerable.Range(0, SqliteArtifactStore.InlineLimit + 1).Select(i => (byte)i).ToArray());

        await store.PromoteAsync([small, large], Ct);
        // Promoting again (the commit after the runner) changes nothing.
        await store.PromoteAsync([small, large], Ct);

        Assert.True(store.Contains(small.ContentHash));
        Assert.True(store.Contains(large.ContentHash));
        Assert.False(File.Exists(files.ObjectPath(small.ContentHash)));
        Assert.True(File.Exists(files.ObjectPath(large.ContentHash)));
        Assert.Equal(1, Rows());
        using (var read = new MemoryStream())
        {
            await using var stream = store.OpenRead(small.ContentHash);
            await stream.CopyToAsync(read, Ct);
            Assert.Equal("id\n1\n"u8.ToArray(), read.ToArray());
        }
        await using (var stream = store.OpenRead(large.ContentHash))
            Assert.Equal(SqliteArtifactStore.InlineLimit + 1, await CountAsync(stream));
        Assert.Throws<FileNotFoundException>(() => store.OpenRead(Hash(5)));
    }

    [Fact]
    public async Task Staged_bytes_that_do_not_match_their_digest_are_refused_and_nothing_is_stored()
    {
        using var store = new SqliteArtifactStore(_file, new LocalDiskArtifactStore(_dir));
        var staged = await StageAsync(store, "job_b", "dataset.csv", "id\n2\n"u8.ToArray());
        var claimed = staged with { ContentHash = Hash(9) };
        Assert.Contains("hashes to", (await Assert.ThrowsAsync<InvalidDataException>(() => store.PromoteAsync([claimed], Ct))).Message);
        Assert.False(store.Contains(Hash(9)));
        Assert.False(store.Contains(staged.ContentHash));
        Assert.Equal(0, Rows());
    }

    [Fact]
    public async Task A_row_altered_in_the_file_is_refused_when_read()
    {
        using var store = new SqliteArtifactStore(_file, new LocalDiskArtifactStore(_dir));
        var staged = await StageAsync(store, "job_c", "dataset.csv", "id\n3\n"u8.ToArray());
        await store.PromoteAsync(staged, Ct);
        await _file.WriteAsync(connection =>
        {
            using var update = SqliteFile.Command(connection, "UPDATE radmah_blobs SET bytes = $1", "id\n4\n"u8.ToArray());
            update.ExecuteNonQuery();
        });
        await using var stream = store.OpenRead(staged.ContentHash);
        await Assert.ThrowsAsync<InvalidDataException>(() => stream.CopyToAsync(Stream.Null, Ct));
    }

    private static async Task<long> CountAsync(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, Ct)) > 0) total += read;
        return total;
    }
}
