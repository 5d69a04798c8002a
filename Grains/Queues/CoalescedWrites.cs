namespace RadMah.Grains.Queues;

/// <summary>
/// Shares writes among callers that interleave: <see cref="SaveAsync"/> completes once a write that
/// started after the call has finished. While one write runs, every change made meanwhile goes into
/// the next one, so a burst of changes costs a few writes rather than one each.
/// </summary>
public sealed class CoalescedWrites(Func<Task> write)
{
    /// <summary>The last write started.</summary>
    private Task _last = Task.CompletedTask;

    /// <summary>The write that starts when the running one ends, shared by every change made meanwhile.</summary>
    private Task? _next;

    public Task SaveAsync()
    {
        if (_next is not null) return _next;
        if (_last.IsCompleted) return _last = write();
        return _next = WriteAfterAsync(_last);
    }

    private async Task WriteAfterAsync(Task running)
    {
        try
        {
            await running;
        }
        catch (Exception)
        {
            // Its callers heard why; this is a write of its own.
        }
        _next = null;
        var next = write();
        _last = next;
        await next;
    }
}
