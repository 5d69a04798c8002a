using System.Text;
using System.Threading.Channels;
using RadMah.Engine.Lift;
using RadMah.Engine.Simulation.GroundTruth;
using RadMah.Engine.Simulation.Output;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Simulation;

/// <summary>Where a run writes its files; the WorldState is made from the historian, so it needs it.</summary>
public sealed record SimulationStreams(Stream DatasetCsv, Stream DatasetArrow, Stream? HistorianCsv = null, Stream? WorldStateArrow = null)
{
    public void Validate()
    {
        if (WorldStateArrow is not null && HistorianCsv is null) throw new ArgumentException("the WorldState is made from the historian: give both streams.");
    }
}

/// <summary>How a run reports; output bytes never depend on these.</summary>
public sealed record SimulationRunOptions
{
    /// <summary>
    /// Samples per block handed from the simulating thread to the writing one, at most; a block is
    /// made smaller when samples are far apart or events many, so a cancel is seen within a
    /// fraction of a second and the twins' blocks stay small. Output bytes never depend on it.
    /// </summary>
    public int BlockSamples { get; init; } = 4096;
    /// <summary>Called with the samples written so far (simulated time = samples × period).</summary>
    public Action<long>? Progress { get; init; }
    /// <summary>Where the historian's per-tag spill files go (deleted when the run ends).</summary>
    public string SpillDirectory { get; init; } = Path.GetTempPath();
}

/// <summary>What a run produced besides its streams: the ground truth, the WorldState manifest and the overview page.</summary>
public sealed record SimulationResult(byte[] Labels, WorldStateManifest? Manifest, byte[] Overview, IReadOnlyDictionary<string, long> SamplesByLabel);

/// <summary>
/// Runs a scenario end to end. One thread simulates (the run and, in lock step, one twin per event
/// for the ground truth) while another writes the wide table, the historian and the spill files,
/// so a run takes about as long as the slower of the two. Blocks are recycled: memory does not grow
/// with the duration.
/// </summary>
public static class SimulationRunner
{
    private sealed record EventSetText(byte[] Label, byte[] Ids, string LabelText, string? IdsText);

    /// <summary>At most 2^20 physics steps per block (about 0.15 s of work), and at most 64 MB of blocks for the twins.</summary>
    private static int BlockSamples(Scenario scenario, int most)
    {
        var stepsPerSample = scenario.SamplingPeriodMs / Process.SwatConstants.PhysicsStepMs;
        var byTime = (1 << 20) / stepsPerSample;
        var byTwins = (64L << 20) / (Math.Max(1, scenario.Events.Count) * Process.SwatTags.Count * 8L);
        return (int)Math.Max(1, Math.Min(most, Math.Min(byTime, byTwins)));
    }

    public static async Task<SimulationResult> RunAsync(Scenario scenario, long seed, string contractDigest, SimulationStreams streams,
        SimulationRunOptions options, CancellationToken cancellationToken)
    {
        streams.Validate();
        var blockSamples = BlockSamples(scenario, options.BlockSamples);
        var main = new PlantSimulator(scenario, seed);
        var twins = scenario.Events.Select(e => new TwinComparison(e, scenario, seed, blockSamples)).ToList();
        var free = Channel.CreateBounded<SampleBlock>(3);
        for (var i = 0; i < 3; i++) free.Writer.TryWrite(new SampleBlock(blockSamples));
        var full = Channel.CreateBounded<SampleBlock>(3);
        var texts = new List<EventSetText>();
        var textsLock = new object();

        EventSetText TextOf(int set)
        {
            lock (textsLock)
            {
                while (texts.Count <= set)
                {
                    var events = main.EventSets[texts.Count].Select(i => scenario.Events[i]).ToList();
                    var label = events.Count == 0 ? "Normal" : events.Any(e => e.IsAttack) ? "Attack" : "Fault";
                    var ids = events.Count == 0 ? null : string.Join("+", events.Select(e => e.Id));
                    texts.Add(new EventSetText(Encoding.UTF8.GetBytes(label), Encoding.UTF8.GetBytes(ids ?? ""), label, ids));
                }
                return texts[set];
            }
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        var simulate = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var block = await free.Reader.ReadAsync(token).ConfigureAwait(false);
                    if (main.Next(block) == 0) break;
                    foreach (var twin in twins)
                    {
                        token.ThrowIfCancellationRequested();
                        twin.Compare(block);
                    }
                    // The writer reads event sets by index; make their text before the block leaves.
                    TextOf(main.EventSets.Count - 1);
                    await full.Writer.WriteAsync(block, token).ConfigureAwait(false);
                }
                full.Writer.Complete();
            }
            catch (Exception ex)
            {
                full.Writer.Complete(ex);
                throw;
            }
        }, token);

        var samplesByLabel = new Dictionary<string, long>(StringComparer.Ordinal);
        var overview = new OverviewPage(scenario.Samples);
        var metadata = new Dictionary<string, string> { ["radmah.contract_digest"] = contractDigest, ["radmah.process"] = scenario.Process };
        WorldStateManifest? manifest = null;
        try
        {
            using var wide = new WideTableWriter(streams.DatasetCsv, streams.DatasetArrow, scenario.Start, scenario.SamplingPeriodMs, metadata,
                set => TextOf(set) is var t ? (t.Label, t.Ids, t.LabelText, t.IdsText) : default);
            using var historian = streams.HistorianCsv is null ? null
                : new HistorianWriter(streams.HistorianCsv, scenario.Start, scenario.SamplingPeriodMs, streams.WorldStateArrow is null ? null : options.SpillDirectory, blockSamples);
            long written = 0;
            await foreach (var block in full.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                await wide.WriteAsync(block, token).ConfigureAwait(false);
                historian?.Write(block);
                overview.Add(block);
                for (var i = 0; i < block.Count; i++)
                {
                    var label = TextOf(block.EventSet[i]).LabelText;
                    samplesByLabel[label] = samplesByLabel.GetValueOrDefault(label) + 1;
                }
                written += block.Count;
                await free.Writer.WriteAsync(block, token).ConfigureAwait(false);
                options.Progress?.Invoke(written);
            }
            await simulate.ConfigureAwait(false);
            await wide.FinishAsync(token).ConfigureAwait(false);
            if (historian is not null)
            {
                await streams.HistorianCsv!.FlushAsync(token).ConfigureAwait(false);
                var hash = historian.ContentHash();
                if (streams.WorldStateArrow is not null) manifest = await historian.WriteWorldStateAsync(streams.WorldStateArrow, hash, token).ConfigureAwait(false);
            }
        }
        catch
        {
            await linked.CancelAsync().ConfigureAwait(false);
            try { await simulate.ConfigureAwait(false); } catch (Exception) { /* the first failure is the one reported */ }
            throw;
        }
        var labels = LabelsDocument.Build(scenario, contractDigest, samplesByLabel, main.Plant, twins);
        return new SimulationResult(labels, manifest, overview.Render(scenario, contractDigest), samplesByLabel);
    }
}
