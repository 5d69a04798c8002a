using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Simulation.GroundTruth;

/// <summary>How far one tag strayed from the twin run: when first and last, for how many samples, by how much at most.</summary>
public sealed record TagDeviation(string Tag, bool IsTarget, long FirstSample, long LastSample, long Samples, double MaxAbsDifference);

/// <summary>
/// What one event did: the run is repeated, in lock step, with the same seed and the scenario
/// without that event (the noise is keyed by seed and step, so the twin draws the same noise), and
/// every tag is compared sample by sample. The event's own targets deviate at any difference (a
/// frozen or forged reading is the attack's footprint however small); another sensor deviates when
/// it differs by at least 0.5% of its range, an actuator when its status differs.
/// </summary>
public sealed class TwinComparison
{
    public const double SensorShare = 0.005;
    private static readonly long[] Threshold = [.. SwatTags.All.Select((t, i) => t.IsSensor ? (long)Math.Ceiling(SensorShare * (t.Max - t.Min) * PlantSimulator.Scale[i]) : 1)];

    private readonly long[] _threshold;
    private readonly long[] _first = new long[SwatTags.Count], _last = new long[SwatTags.Count], _count = new long[SwatTags.Count];
    private readonly double[] _max = new double[SwatTags.Count];

    public TwinComparison(ScenarioEvent @event, Scenario scenario, long seed, int blockCapacity)
    {
        Event = @event;
        Twin = new PlantSimulator(scenario.Without(@event), seed);
        Block = new SampleBlock(blockCapacity);
        Array.Fill(_first, -1);
        _threshold = [.. Threshold.Select((t, tag) => @event.Targets.Contains(SwatTags.All[tag].Name) ? 1 : t)];
    }

    public ScenarioEvent Event { get; }
    public PlantSimulator Twin { get; }
    public SampleBlock Block { get; }

    /// <summary>Advances the twin by the main block's samples and compares them.</summary>
    public void Compare(SampleBlock main)
    {
        Twin.Next(Block);
        for (var i = 0; i < main.Count; i++)
        {
            var row = i * SwatTags.Count;
            for (var tag = 0; tag < SwatTags.Count; tag++)
            {
                var difference = Math.Abs(main.Values[row + tag] - Block.Values[row + tag]);
                if (difference < _threshold[tag]) continue;
                var sample = main.FirstSample + i;
                if (_first[tag] < 0) _first[tag] = sample;
                _last[tag] = sample;
                _count[tag]++;
                _max[tag] = Math.Max(_max[tag], difference / PlantSimulator.Scale[tag]);
            }
        }
    }

    /// <summary>The deviated tags, earliest first.</summary>
    public IReadOnlyList<TagDeviation> Deviations() =>
        [.. Enumerable.Range(0, SwatTags.Count).Where(t => _first[t] >= 0).OrderBy(t => _first[t]).ThenBy(t => t)
            .Select(t => new TagDeviation(SwatTags.All[t].Name, Event.Targets.Contains(SwatTags.All[t].Name), _first[t], _last[t], _count[t], _max[t]))];
}
