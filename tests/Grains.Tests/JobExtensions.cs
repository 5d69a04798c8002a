using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Grains.Tests;

public static class JobExtensions
{
    /// <summary>A job's outputs: every artifact but its evidence bundle, which is per job (its own id and times) by design.</summary>
    public static IEnumerable<ArtifactRecord> Outputs(this IEnumerable<ArtifactRecord> artifacts) =>
        artifacts.Where(a => a.ArtifactType != "evidence.dsse.json");

    /// <summary>Long-polls until the job is terminal (or <paramref name="timeout"/> passes).</summary>
    public static async Task<JobView> WaitTerminalAsync(this IJobGrain job, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var view = await job.GetAsync();
        while (!view.Status.IsTerminal())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {view.Id} still {view.Status.ToWire()}");
            view = await job.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(5));
        }
        return view;
    }

    public static async Task<JobView> WaitUntilAsync(this IJobGrain job, Func<JobView, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var view = await job.GetAsync();
        while (!condition(view))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {view.Id} never reached the condition (status {view.Status.ToWire()}, rows done {view.RowsDone})");
            view = await job.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(2));
        }
        return view;
    }
}
