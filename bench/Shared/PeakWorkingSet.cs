using System.Diagnostics;

namespace RadMah.Measurement;

/// <summary>
/// Samples this process's working set every 20 ms from start until <see cref="StopAsync"/>, so a
/// measurement can say how much memory a piece of work held at its worst, not just at its end.
/// Linked as source into the benchmarks and the memory test, which share no project.
/// </summary>
public sealed class PeakWorkingSet : IDisposable
{
    private readonly Process process = Process.GetCurrentProcess();
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampler;
    private long peak;

    private PeakWorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        Before = peak = process.WorkingSet64;
        sampler = Task.Run(SampleAsync);
    }

    /// <summary>The working set when sampling began, after a full collection.</summary>
    public long Before { get; }

    public static PeakWorkingSet Start() => new();

    /// <summary>Stops sampling and returns the highest working set seen.</summary>
    public async Task<long> StopAsync()
    {
        stop.Cancel();
        await sampler;
        return peak;
    }

    private async Task SampleAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            try { await Task.Delay(20, stop.Token); }
            catch (OperationCanceledException) { }
        }
        process.Refresh();
        peak = Math.Max(peak, process.WorkingSet64);
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
        process.Dispose();
    }
}
