using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace RadMah.Grains.Storage;

/// <summary>
/// Grain state in the embedded node's SQLite file: one row per grain and state name, serialized by
/// Orleans' serializer, with a version that is the ETag. A write names the version it read; a row
/// written by someone else in between (another activation) is refused with
/// <see cref="InconsistentStateException"/>, as every durable provider does.
/// </summary>
public sealed class SqliteGrainStorage(string name, SqliteFile file, string serviceId, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var row = file.Read(connection =>
        {
            using var command = SqliteFile.Command(connection, "SELECT version, payload FROM radmah_grain_state WHERE service_id = $1 AND state_name = $2 AND grain_id = $3",
                serviceId, stateName, grainId.ToString());
            using var reader = command.ExecuteReader();
            return reader.Read() ? (Version: reader.GetInt64(0), Payload: (byte[])reader.GetValue(1)) : default((long Version, byte[] Payload)?);
        });
        if (row is { } found)
        {
            grainState.State = serializer.Deserialize<T>(found.Payload);
            grainState.ETag = found.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.SerializeToArray(grainState.State);
        var id = grainId.ToString();
        var etag = grainState.ETag;
        var next = await file.WriteAsync(connection =>
        {
            if (etag is null)
            {
                // A first write: refused when a row exists (someone wrote it since this activation read nothing).
                using var insert = SqliteFile.Command(connection,
                    "INSERT INTO radmah_grain_state (service_id, state_name, grain_id, version, payload) VALUES ($1, $2, $3, 1, $4) ON CONFLICT DO NOTHING",
                    serviceId, stateName, id, payload);
                if (insert.ExecuteNonQuery() != 1) throw Conflict(stateName, grainId, null);
                return 1L;
            }
            var expected = long.Parse(etag, CultureInfo.InvariantCulture);
            using var update = SqliteFile.Command(connection,
                "UPDATE radmah_grain_state SET version = version + 1, payload = $5 WHERE service_id = $1 AND state_name = $2 AND grain_id = $3 AND version = $4",
                serviceId, stateName, id, expected, payload);
            if (update.ExecuteNonQuery() != 1) throw Conflict(stateName, grainId, etag);
            return expected + 1;
        });
        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is { } etag)
        {
            await file.WriteAsync(connection =>
            {
                using var delete = SqliteFile.Command(connection, "DELETE FROM radmah_grain_state WHERE service_id = $1 AND state_name = $2 AND grain_id = $3 AND version = $4",
                    serviceId, stateName, grainId.ToString(), long.Parse(etag, CultureInfo.InvariantCulture));
                if (delete.ExecuteNonQuery() != 1) throw Conflict(stateName, grainId, etag);
            });
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string? expected) =>
        new($"{name}: state '{stateName}' of {grainId} was written by someone else (ETag {expected ?? "none"}).", null, expected);
}
