using Npgsql;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Queues;
using RadMah.Grains.Records;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests;

/// <summary>The stores of the queues' lines: SQLite, PostgreSQL and the silo's memory must behave alike.</summary>
public abstract class QueueLinesTests
{
    protected abstract IQueueLines Lines { get; }

    [Fact]
    public async Task A_queue_line_stores_only_its_changes_and_refuses_a_write_from_a_stale_version()
    {
        var ct = TestContext.Current.CancellationToken;
        var tier = "line-" + Guid.NewGuid().ToString("N")[..8];
        var empty = await Lines.ReadAsync(tier, ct);
        Assert.Equal(0, empty.Version);
        Assert.Empty(empty.Rows);
        string a = Ids.NewJobId(), b = Ids.NewJobId(), c = Ids.NewJobId();
        var v1 = await Lines.WriteAsync(tier, 0, [new(a, new(a, 1, null)), new(b, new(b, 2, null)), new(c, new(c, 3, null))], ct);
        var v2 = await Lines.WriteAsync(tier, v1, [new(a, new(a, 1, "silo-1")), new(b, null), new(c, new(c, -1, null))], ct);
        var line = await Lines.ReadAsync(tier, ct);
        Assert.Equal(v2, line.Version);
        Assert.Equal([new QueueLineRow(c, -1, null), new QueueLineRow(a, 1, "silo-1")], line.Rows);

        // Another activation that read version 1 (or none) must not overwrite the line.
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => Lines.WriteAsync(tier, v1, [new(b, new(b, 9, null))], ct));
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => Lines.WriteAsync(tier, 0, [new(b, new(b, 9, null))], ct));
        Assert.Equal(line.Rows, (await Lines.ReadAsync(tier, ct)).Rows);
        Assert.Empty((await Lines.ReadAsync("other-" + tier, ct)).Rows);
    }
}

public sealed class InMemoryQueueLinesTests : QueueLinesTests
{
    protected override IQueueLines Lines { get; } = new InMemoryQueueLines();
}

public sealed class SqliteQueueLinesTests : QueueLinesTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radmah-lines-").FullName;
    private readonly SqliteFile _file;

    public SqliteQueueLinesTests()
    {
        _file = SqliteFile.Open(Path.Combine(_directory, "radmah.db"));
        Lines = new SqliteQueueLines(_file, "lines-test");
    }

    protected override IQueueLines Lines { get; }

    public void Dispose()
    {
        _file.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Against the real server ./test.sh starts, under a service id of its own.</summary>
public sealed class PostgresQueueLinesTests : QueueLinesTests, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("RADMAH_TEST_PG")
        ?? throw new InvalidOperationException("RADMAH_TEST_PG is not set: run ./test.sh, which starts PostgreSQL with deploy/pg-up.sh."));

    public PostgresQueueLinesTests() => Lines = new PostgresQueueLines(_dataSource, "lines-test-" + Guid.NewGuid().ToString("N"));

    protected override IQueueLines Lines { get; }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
