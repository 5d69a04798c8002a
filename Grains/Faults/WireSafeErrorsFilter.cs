using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;

namespace RadMah.Grains.Faults;

/// <summary>
/// An error a database driver raised inside a grain call leaves the grain as the platform's own
/// error: unavailable when it is transient (the database restarting, a connection dropped), internal
/// otherwise. The driver's exception carries state and text that are not for callers; it is logged
/// here, where it happened.
/// </summary>
public sealed class WireSafeErrorsFilter(ILogger<WireSafeErrorsFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (ex is not RadMahException && TransientFaults.ComesFromStorageDriver(ex))
        {
            var transient = TransientFaults.IsTransient(ex);
            if (transient) logger.LogWarning("{Grain}.{Method}: storage is unavailable: {Error}", context.TargetId, context.ImplementationMethod.Name, ex.GetBaseException().Message);
            else logger.LogError(ex, "{Grain}.{Method}: storage error", context.TargetId, context.ImplementationMethod.Name);
            throw transient
                ? new RadMahException(RadMahException.Unavailable, "storage is briefly unavailable; retry shortly.")
                : new RadMahException(RadMahException.Internal, "a storage error occurred; see the node's log.");
        }
    }
}
