using RadMah.Engine.Jobs;

namespace RadMah.Grains.Work;

/// <summary>The work of every available kind. It must cover exactly <see cref="JobKinds.Available"/>, so a kind is never accepted without a pipeline.</summary>
public sealed class JobWorkCatalog
{
    private readonly Dictionary<string, IJobWork> _byKind;

    public JobWorkCatalog(IEnumerable<IJobWork> works)
    {
        _byKind = works.ToDictionary(w => w.Kind);
        var missing = JobKinds.Available.Except(_byKind.Keys).ToArray();
        var extra = _byKind.Keys.Except(JobKinds.Available).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new InvalidOperationException($"Job work registrations do not match the available kinds (missing: {string.Join(",", missing)}; not announced: {string.Join(",", extra)}).");
    }

    public IJobWork Get(string kind) =>
        _byKind.TryGetValue(kind, out var work) ? work : throw new InvalidOperationException($"kind {kind} has no work on this silo.");
}
