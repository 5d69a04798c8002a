using Microsoft.Extensions.DependencyInjection;
using RadMah.Engine.Jobs;

namespace RadMah.Grains.Work;

/// <summary>The work of every registered kind. It must cover exactly the kinds the node accepts, so a kind is never accepted without a pipeline.</summary>
public sealed class JobWorkCatalog
{
    private readonly Dictionary<string, IJobWork> _byKind;

    public JobWorkCatalog(IEnumerable<IJobWork> works, JobKindCatalog kinds)
    {
        _byKind = works.ToDictionary(w => w.Kind);
        var missing = kinds.Available.Except(_byKind.Keys).ToArray();
        var extra = _byKind.Keys.Except(kinds.Available).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new InvalidOperationException($"Job work registrations do not match the registered kinds (no work: {string.Join(",", missing)}; work without a kind: {string.Join(",", extra)}).");
    }

    /// <summary>
    /// Builds what work needs when the silo starts: the catalog, so a mismatch stops the start, and the
    /// artifact store, which sweeps the staging that dead processes left behind as it opens.
    /// </summary>
    public sealed class StartupCheck(IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(JobWorkCatalog), ServiceLifecycleStage.RuntimeInitialize, _ =>
            {
                services.GetRequiredService<JobWorkCatalog>();
                services.GetRequiredService<RadMah.Artifacts.IArtifactStore>();
                return Task.CompletedTask;
            });
    }

    public IJobWork Get(string kind) =>
        _byKind.TryGetValue(kind, out var work) ? work : throw new InvalidOperationException($"kind {kind} has no work on this silo.");
}
