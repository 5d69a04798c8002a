using RadMah.Engine.Randomness;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Simulation;

/// <summary>
/// The plant's analogue transmitters and the links to the PLC: each sensor samples the true value at
/// its period, adds drift and noise (the platform's counter-based PRNG, keyed by seed and physics
/// step, so a run with one event less draws the very same noise), clamps to its range and quantizes
/// to its decimals. What it sends may then be forged, frozen or failed by an event.
/// </summary>
internal sealed class Transmitters
{
    private readonly ulong _seedKey;
    private readonly int[] _sensors;
    private readonly long[] _periodSteps;
    private readonly double[] _noise, _drift;
    private readonly bool _allOnOneBeat;
    private readonly long _beat;
    private readonly Dictionary<int, ReplayBuffer> _replay = [];

    /// <summary>Measured (before the link) and sent (what the PLC and the historian receive), as counts of the last decimal.</summary>
    public long[] Measured { get; } = new long[SwatTags.Count];
    public long[] Sent { get; } = new long[SwatTags.Count];
    /// <summary>Sent values in the tag's unit: the PLC's inputs.</summary>
    public double[] Readings { get; } = new double[SwatTags.Count];
    public ulong BadQuality { get; private set; }

    private readonly List<Forgery>[] _forgeries = [.. Enumerable.Range(0, SwatTags.Count).Select(_ => new List<Forgery>())];

    public Transmitters(Scenario scenario, ulong seedKey)
    {
        _seedKey = seedKey;
        _sensors = [.. SwatTags.All.Select((t, i) => (t, i)).Where(x => x.t.IsSensor).Select(x => x.i)];
        _periodSteps = new long[SwatTags.Count];
        _noise = new double[SwatTags.Count];
        _drift = new double[SwatTags.Count];
        foreach (var tag in _sensors)
        {
            var settings = scenario.Sensors.GetValueOrDefault(SwatTags.All[tag].Name);
            _periodSteps[tag] = (settings?.PeriodMs ?? SimulationTime.Second) / SwatConstants.PhysicsStepMs;
            _noise[tag] = settings?.Noise ?? SwatTags.All[tag].Noise;
            _drift[tag] = settings?.DriftPerHour ?? 0;
        }
        _beat = _periodSteps[_sensors[0]];
        _allOnOneBeat = _sensors.All(t => _periodSteps[t] == _beat);
        foreach (var e in scenario.Events.Where(e => e.Type == EventType.SensorSpoof && e.Mode == "replay"))
            foreach (var target in e.Targets)
            {
                var tag = SwatTags.Index(target);
                var needed = (int)(e.ReplayOffsetMs!.Value / SwatConstants.PhysicsStepMs / _periodSteps[tag]) + 2;
                if (!_replay.TryGetValue(tag, out var buffer) || buffer.Capacity < needed) _replay[tag] = new ReplayBuffer(needed);
            }
    }

    /// <summary>Samples every sensor whose period falls on this step.</summary>
    public void Sample(long step, Plant plant)
    {
        if (_allOnOneBeat && step % _beat != 0) return;
        var random = SplitMix64.ForCell(_seedKey, step, 0);
        var hours = step * (SwatConstants.PhysicsStepMs / 3_600_000.0);
        double spare = 0;
        var haveSpare = false;
        foreach (var tag in _sensors)
        {
            if (step % _periodSteps[tag] != 0) continue;
            double gaussian;
            if (haveSpare)
            {
                gaussian = spare;
                haveSpare = false;
            }
            else
            {
                random.NextGaussianPair(out gaussian, out spare);
                haveSpare = true;
            }
            var t = SwatTags.All[tag];
            var value = plant.TrueValue(tag) + _drift[tag] * hours + _noise[tag] * gaussian;
            Measured[tag] = Quantize(tag, Math.Clamp(value, t.Min, t.Max));
            if (_replay.TryGetValue(tag, out var buffer)) buffer.Add(Measured[tag]);
            Send(tag, step);
        }
    }

    private void Send(int tag, long step)
    {
        var sent = Measured[tag];
        var bad = false;
        foreach (var f in _forgeries[tag])
        {
            var t = SwatTags.All[tag];
            switch (f.Event.Type)
            {
                case EventType.StaleValues:
                    sent = f.Held;
                    break;
                case EventType.SensorFailure:
                    sent = 0;
                    bad = true;
                    break;
                case EventType.SensorSpoof when f.Event.Mode == "constant":
                    sent = Quantize(tag, Math.Clamp(f.Event.Value!.Value, t.Min, t.Max));
                    break;
                case EventType.SensorSpoof when f.Event.Mode == "ramp":
                    var seconds = (step - f.StartStep) * (SwatConstants.PhysicsStepMs / 1000.0);
                    sent = Quantize(tag, Math.Clamp(f.Held / PlantSimulator.Scale[tag] + f.Event.Value!.Value * seconds, t.Min, t.Max));
                    break;
                case EventType.SensorSpoof when f.Event.Mode == "noise":
                    var random = SplitMix64.ForCell(_seedKey, step, 1 + f.StreamId);
                    sent = Quantize(tag, Math.Clamp(sent / PlantSimulator.Scale[tag] + f.Event.Value!.Value * random.NextGaussian(), t.Min, t.Max));
                    break;
                case EventType.SensorSpoof when f.Event.Mode == "replay":
                    var back = (int)(f.Event.ReplayOffsetMs!.Value / SwatConstants.PhysicsStepMs / _periodSteps[tag]);
                    sent = _replay[tag].Back(back);
                    break;
            }
        }
        Sent[tag] = sent;
        Readings[tag] = sent / PlantSimulator.Scale[tag];
        BadQuality = bad ? BadQuality | 1UL << tag : BadQuality & ~(1UL << tag);
    }

    /// <summary>An event starts forging a sensor's link: stale values hold what was last sent; a ramp starts from the measured value.</summary>
    public void Begin(ScenarioEvent e, int tag, long step)
    {
        var held = e.Type == EventType.StaleValues ? Sent[tag] : Measured[tag];
        _forgeries[tag].Add(new Forgery(e, step, held, (int)(StableHash(e.Id) & 0x3FFF_FFFF)));
        Send(tag, step);
    }

    public void End(ScenarioEvent e, int tag, long step)
    {
        _forgeries[tag].RemoveAll(f => ReferenceEquals(f.Event, e));
        Send(tag, step);
    }

    public static long Quantize(int tag, double value) => (long)Math.Round(value * PlantSimulator.Scale[tag], MidpointRounding.ToEven);

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    private sealed record Forgery(ScenarioEvent Event, long StartStep, long Held, int StreamId);

    /// <summary>The last measured values of one sensor, for replaying an earlier window.</summary>
    private sealed class ReplayBuffer(int capacity)
    {
        private readonly long[] _values = new long[capacity];
        private long _count;
        public int Capacity => capacity;

        public void Add(long value) => _values[_count++ % capacity] = value;

        /// <summary>The value measured <paramref name="samples"/> samples before the newest.</summary>
        public long Back(int samples) => _count - 1 - samples >= 0 ? _values[(_count - 1 - samples) % capacity] : _values[0];
    }
}
