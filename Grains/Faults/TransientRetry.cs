using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;

namespace RadMah.Grains.Faults;

/// <summary>
/// Runs an idempotent step again while it fails for a transient reason (<see cref="TransientFaults"/>):
/// after 200 ms, then twice as long each time up to 5 s, until it succeeds, fails for another reason,
/// or the patience is spent (the last error is then thrown).
/// </summary>
public static class TransientRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(Func<Task<T>> step, TimeSpan patience, ILogger logger, string what, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + patience;
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (Exception ex) when (TransientFaults.IsTransient(ex) && DateTime.UtcNow + delay < deadline && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{What}: transient fault on attempt {Attempt}, retrying in {Delay} ms: {Error}", what, attempt, (int)delay.TotalMilliseconds, ex.GetBaseException().Message);
            }
            await Task.Delay(delay, cancellationToken);
            delay = delay * 2 < LongestDelay ? delay * 2 : LongestDelay;
        }
    }

    public static Task RunAsync(Func<Task> step, TimeSpan patience, ILogger logger, string what, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await step();
            return true;
        }, patience, logger, what, cancellationToken);
}
