namespace RadMah.Grains.Jobs;

/// <summary>Wakes everyone waiting for the next change (a long poll's wait), then waits anew.</summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Raise"/>.</summary>
    public Task Next => _next.Task;

    public void Raise()
    {
        var previous = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
