using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Queues;

namespace RadMah.Grains.Telemetry;

/// <summary>
/// The platform's metrics, recorded where things happen: job grains count state changes, durations
/// and captured credits; queue grains publish their depth. Each silo reports what its own
/// activations did, so a cluster-wide figure is the sum over silos (as Prometheus adds them up).
/// </summary>
public static class PlatformMetrics
{
    private static readonly Meter Meter = new(RadMahTelemetry.MeterName, "1.0");

    private static readonly Counter<long> JobStates = Meter.CreateCounter<long>(
        "radmah.jobs", "{job}", "Jobs that entered a state, by state, tier and kind.");

    private static readonly Histogram<double> JobDurations = Meter.CreateHistogram<double>(
        "radmah.job.duration", "s", "Time from creation to a terminal state, by final state, tier and kind.");

    private static readonly Counter<double> CreditsCaptured = Meter.CreateCounter<double>(
        "radmah.credits.captured", "{credit}", "Credits captured from holds when jobs succeeded, by tier and kind.");

    private static readonly ConcurrentDictionary<string, (int Waiting, int Running)> Depths = new(StringComparer.Ordinal);

    static PlatformMetrics()
    {
        Meter.CreateObservableGauge("radmah.queue.depth", ObserveDepths, "{job}",
            "Jobs waiting for a slot and jobs holding one, per tier (reported by the silo hosting the tier's queue).");
        Meter.CreateObservableGauge("radmah.compute.waiting", ObserveComputeWaiting, "{job}",
            "Jobs holding a tier slot on this silo but still queued behind higher-priority work for its CPU, per tier.");
    }

    private static readonly ConcurrentDictionary<ComputeGate, bool> Gates = new();

    /// <summary>Reports the gate's waiting jobs (one gate per silo; several when tests host silos in one process).</summary>
    public static ComputeGate Track(ComputeGate gate)
    {
        Gates[gate] = true;
        return gate;
    }

    private static IEnumerable<Measurement<long>> ObserveComputeWaiting()
    {
        foreach (var tier in new[] { QueueTiers.Interactive, QueueTiers.Default, QueueTiers.Free })
            yield return new Measurement<long>(Gates.Keys.Sum(g => g.WaitingIn(tier)), new KeyValuePair<string, object?>("tier", tier));
    }

    public static void JobEntered(JobStatus status, JobDefinition definition) =>
        JobStates.Add(1, Tags(definition, status));

    public static void JobFinished(JobStatus status, JobDefinition definition, TimeSpan sinceCreated) =>
        JobDurations.Record(sinceCreated.TotalSeconds, Tags(definition, status));

    public static void CreditsCapturedFor(JobDefinition definition, decimal credits) =>
        CreditsCaptured.Add((double)credits, new KeyValuePair<string, object?>("tier", definition.Tier), new KeyValuePair<string, object?>("kind", definition.Kind));

    public static void QueueDepth(string tier, int waiting, int running) => Depths[tier] = (waiting, running);

    public static void QueueGone(string tier) => Depths.TryRemove(tier, out _);

    private static KeyValuePair<string, object?>[] Tags(JobDefinition definition, JobStatus status) =>
    [
        new("status", status.ToWire()),
        new("tier", definition.Tier),
        new("kind", definition.Kind),
    ];

    private static IEnumerable<Measurement<long>> ObserveDepths()
    {
        foreach (var (tier, depth) in Depths)
        {
            yield return new Measurement<long>(depth.Waiting, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("state", "waiting"));
            yield return new Measurement<long>(depth.Running, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("state", "running"));
        }
    }
}
