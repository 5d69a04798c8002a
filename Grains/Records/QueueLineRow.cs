namespace RadMah.Grains.Records;

/// <summary>
/// One job in a queue tier's line: waiting (<see cref="Silo"/> null), ordered by <see cref="Position"/>,
/// or holding a slot on <see cref="Silo"/> (a parsable silo address).
/// </summary>
public sealed record QueueLineRow(string JobId, long Position, string? Silo);

/// <summary>A tier's line as stored, and the version the next write must name.</summary>
public sealed record StoredQueueLine(long Version, IReadOnlyList<QueueLineRow> Rows);

/// <summary>A change to one job of a line: its row as it now is, or null when the job left the line.</summary>
public sealed record QueueLineChange(string JobId, QueueLineRow? Row);
