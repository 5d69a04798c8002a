using RadMah.Engine.Randomness;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Simulation;

/// <summary>
/// Runs a scenario: the plant's physics every 0.2 s, the transmitters at their periods, the PLCs
/// every 0.4 s, the scenario's regime changes and events at their instants, and the historian at
/// its sampling period. Single-threaded and fully determined by the scenario and the seed; the
/// caller pulls samples block by block, so memory stays the same whatever the duration.
/// </summary>
public sealed class PlantSimulator
{
    /// <summary>10^decimals per tag: a value's count over this is the value.</summary>
    public static readonly double[] Scale = [.. SwatTags.All.Select(t => Math.Pow(10, t.Decimals))];

    private readonly Scenario _scenario;
    private readonly Transmitters _transmitters;
    private readonly PlcProgram _plc;
    private readonly long _stepsPerSample;
    private readonly Boundary[] _boundaries;
    private int _nextBoundary;
    private long _step;
    private readonly List<int> _active = [];
    private readonly Dictionary<string, int> _eventSetIds = new(StringComparer.Ordinal) { [""] = 0 };
    private int _currentSet;
    private readonly Thresholds[] _baseThresholds = new Thresholds[SwatTags.Count];
    private readonly Thresholds[] _thresholds = new Thresholds[SwatTags.Count];
    private readonly bool?[] _forced = new bool?[SwatTags.Count];

    public PlantSimulator(Scenario scenario, long seed)
    {
        _scenario = scenario;
        Plant = new Plant(scenario.InitialLevels);
        _transmitters = new Transmitters(scenario, SplitMix64.SeedKey((ulong)seed));
        _stepsPerSample = scenario.SamplingPeriodMs / SwatConstants.PhysicsStepMs;
        foreach (var (tag, t) in Setpoints.Defaults) _baseThresholds[tag] = _thresholds[tag] = t;
        _transmitters.Sample(0, Plant);
        _plc = new PlcProgram(_transmitters.Readings, _thresholds);

        var boundaries = new List<Boundary>();
        for (var i = 0; i < scenario.Regimes.Count; i++) boundaries.Add(new Boundary(scenario.Regimes[i].AtMs / SwatConstants.PhysicsStepMs, 1, i));
        for (var i = 0; i < scenario.Events.Count; i++)
        {
            boundaries.Add(new Boundary(scenario.Events[i].StartMs / SwatConstants.PhysicsStepMs, 2, i));
            boundaries.Add(new Boundary(scenario.Events[i].EndMs / SwatConstants.PhysicsStepMs, 0, i));
        }
        // At one instant: events end, then regimes change, then events start.
        _boundaries = [.. boundaries.OrderBy(b => b.Step).ThenBy(b => b.Order).ThenBy(b => b.Index)];
        EventSets = [[]];
    }

    public Plant Plant { get; }

    public PlcProgram Plc => _plc;

    public long TotalSamples => _scenario.Samples;

    public long SamplesDone { get; private set; }

    /// <summary>The distinct sets of active events seen so far, as indices into the scenario's events; set 0 is none.</summary>
    public List<int[]> EventSets { get; }

    /// <summary>Fills the block with the next samples; 0 when the run is over.</summary>
    public int Next(SampleBlock block)
    {
        var count = (int)Math.Min(block.Capacity, TotalSamples - SamplesDone);
        block.FirstSample = SamplesDone;
        block.Count = count;
        var values = block.Values;
        for (var i = 0; i < count; i++)
        {
            for (var k = 0L; k < _stepsPerSample; k++)
            {
                if (_nextBoundary < _boundaries.Length && _boundaries[_nextBoundary].Step == _step) ApplyBoundaries();
                if (_step > 0) _transmitters.Sample(_step, Plant);
                if (k == 0) Record(values, i, block);
                if (_step % (SwatConstants.PlcScanMs / SwatConstants.PhysicsStepMs) == 0)
                {
                    _plc.Scan(_transmitters.Readings, _thresholds, Plant, SwatConstants.PlcScanMs / 1000.0);
                    Actuate();
                }
                Plant.Step();
                _step++;
            }
        }
        SamplesDone += count;
        return count;
    }

    private void Record(long[] values, int i, SampleBlock block)
    {
        var row = i * SwatTags.Count;
        var sent = _transmitters.Sent;
        for (var tag = 0; tag < SwatTags.Count; tag++)
            values[row + tag] = SwatTags.All[tag].IsSensor ? sent[tag] : Plant.Status(tag);
        block.BadQuality[i] = _transmitters.BadQuality;
        block.EventSet[i] = _currentSet;
    }

    /// <summary>PLC commands reach the actuators, unless an attacker forces them.</summary>
    private void Actuate()
    {
        var command = _plc.Command;
        for (var tag = 0; tag < SwatTags.Count; tag++)
        {
            var kind = SwatTags.All[tag].Kind;
            if (kind == TagKind.Sensor) continue;
            var on = _forced[tag] ?? command[tag];
            if (kind == TagKind.Valve) Plant.ValveOpen[tag] = on;
            else Plant.PumpOn[tag] = on;
        }
    }

    private void ApplyBoundaries()
    {
        while (_nextBoundary < _boundaries.Length && _boundaries[_nextBoundary].Step == _step)
        {
            var b = _boundaries[_nextBoundary++];
            if (b.Order == 1)
            {
                ApplyRegime(_scenario.Regimes[b.Index]);
                continue;
            }
            var e = _scenario.Events[b.Index];
            if (b.Order == 2) _active.Add(b.Index);
            else _active.Remove(b.Index);
            if (e.Type is EventType.SensorSpoof or EventType.StaleValues or EventType.SensorFailure)
                foreach (var target in e.Targets)
                {
                    if (b.Order == 2) _transmitters.Begin(e, SwatTags.Index(target), _step);
                    else _transmitters.End(e, SwatTags.Index(target), _step);
                }
        }
        _active.Sort();
        Recompute();
        var key = string.Join(",", _active);
        if (!_eventSetIds.TryGetValue(key, out _currentSet))
        {
            _currentSet = EventSets.Count;
            _eventSetIds[key] = _currentSet;
            EventSets.Add([.. _active]);
        }
        Actuate();
    }

    private void ApplyRegime(RegimeChange regime)
    {
        if (regime.RawSupplyM3h is { } raw) Plant.RawSupply = raw;
        if (regime.RoFeedM3h is { } ro) Plant.RoFeedRate = ro;
        foreach (var (tag, values) in regime.Setpoints)
        {
            var index = SwatTags.Index(tag);
            foreach (var (name, value) in values) _baseThresholds[index] = _baseThresholds[index].With(name, value);
        }
    }

    /// <summary>Everything the active events decide, from scratch, in scenario order (a later event wins where two overlap).</summary>
    private void Recompute()
    {
        Array.Copy(_baseThresholds, _thresholds, _thresholds.Length);
        Array.Fill(_forced, null);
        Array.Fill(_plc.Changes, LogicChange.None);
        Array.Fill(Plant.PumpFailed, false);
        Array.Fill(Plant.ValveStuck, false);
        Array.Fill(Plant.LeakRate, 0);
        foreach (var index in _active)
        {
            var e = _scenario.Events[index];
            switch (e.Type)
            {
                case EventType.ActuatorForce:
                    foreach (var t in e.Targets) _forced[SwatTags.Index(t)] = e.Mode is "open" or "on";
                    break;
                case EventType.SetpointTamper:
                    var tag = SwatTags.Index(e.Targets[0]);
                    foreach (var (name, value) in e.Thresholds!) _thresholds[tag] = _thresholds[tag].With(name, value);
                    break;
                case EventType.PlcLogic:
                    _plc.Changes[e.Targets[0][1] - '0'] = e.Mode switch
                    {
                        "invert" => LogicChange.Invert,
                        "freeze" => LogicChange.Freeze,
                        _ => LogicChange.DisableInterlocks,
                    };
                    break;
                case EventType.PumpFailure:
                    foreach (var t in e.Targets) Plant.PumpFailed[SwatTags.Index(t)] = true;
                    break;
                case EventType.StuckValve:
                    foreach (var t in e.Targets) Plant.ValveStuck[SwatTags.Index(t)] = true;
                    break;
                case EventType.Leak:
                    Plant.LeakRate[Scenario.Tanks.ToList().IndexOf(e.Targets[0])] += e.Value!.Value;
                    break;
            }
        }
    }

    /// <summary>A regime change (order 1), an event's start (2) or end (0), at a physics step.</summary>
    private readonly record struct Boundary(long Step, int Order, int Index);
}
