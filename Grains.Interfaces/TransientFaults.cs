using System.Data.Common;
using System.Net.Sockets;
using Orleans.Runtime;
using Orleans.Storage;

namespace RadMah.Grains.Interfaces;

/// <summary>
/// Whether an error says the cluster or its storage is briefly unavailable (a silo gone, a
/// connection dropped, a database restarting, a call timed out) rather than that the request or
/// the work is wrong. Transient errors are retried where the operation is idempotent, and reach
/// callers as 503 UNAVAILABLE with Retry-After; anything else is the request's or the work's own error.
/// </summary>
public static class TransientFaults
{
    /// <summary>SQLSTATE classes and codes that a retry can outlive: connection loss, resources, operator intervention, serialization.</summary>
    private static readonly string[] TransientSqlStates = ["08", "53", "57P01", "57P02", "57P03", "58", "40001", "40P01", "55P03", "55006"];

    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RadMahException platform:
                    return platform.Code == RadMahException.Unavailable;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient);
                case TimeoutException or SocketException or SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
                    or ClientNotAvailableException or InconsistentStateException:
                    return true;
                case DbException db when db.IsTransient || (db.SqlState is { } state && TransientSqlStates.Any(state.StartsWith)):
                    return true;
            }
            if (e.GetType().FullName is "Orleans.Runtime.Messaging.ConnectionFailedException" or "Orleans.Networking.Shared.SocketConnectionException") return true;
        }
        return false;
    }

    /// <summary>
    /// Whether the error's type, or one inside it, comes from a database driver: such exceptions
    /// carry driver state that cannot cross a grain call, and their text is not meant for API callers.
    /// </summary>
    public static bool ComesFromStorageDriver(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException || e.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true) return true;
        return false;
    }
}
