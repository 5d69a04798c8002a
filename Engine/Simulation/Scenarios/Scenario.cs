using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Simulation.Process;

namespace RadMah.Engine.Simulation.Scenarios;

/// <summary>Settings of one transmitter that differ from the plant's defaults.</summary>
public sealed record SensorSettings(double? Noise, double DriftPerHour, long? PeriodMs);

/// <summary>An operating-regime change at an offset: the raw water supply, the RO feed rate, or the operators' setpoints.</summary>
public sealed record RegimeChange(long AtMs, double? RawSupplyM3h, double? RoFeedM3h, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Setpoints);

/// <summary>
/// A simulate job's scenario (docs/SIMULATE.md, schema docs/schemas/scenario.schema.json): the
/// process, the start instant and duration, the historian's sampling period, initial tank levels,
/// regime changes, transmitter settings, and the attacks and faults. Every time is whole ms; every
/// instant falls on the physics step. Its canonical JSON is part of the job's sealed contract.
/// </summary>
public sealed record Scenario
{
    public const string SchemaVersion = "radmah.scenario/1";
    public const string SwatProcess = "swat";
    public const long MaxDurationMs = 8 * SimulationTime.Week;
    public const long MaxSamplingPeriodMs = SimulationTime.Hour;
    public const int MaxEvents = 1000;

    public static readonly DateTime DefaultStart = new(2015, 12, 22, 16, 0, 0, DateTimeKind.Utc);
    public static readonly IReadOnlyList<string> Tanks = ["T101", "T301", "T401", "T602"];
    public static readonly IReadOnlyDictionary<string, double> DefaultInitialLevels = new Dictionary<string, double>
    {
        ["T101"] = 600, ["T301"] = 900, ["T401"] = 900, ["T602"] = 600,
    };

    public string Process { get; init; } = SwatProcess;
    public DateTime Start { get; init; } = DefaultStart;
    public required long DurationMs { get; init; }
    public long SamplingPeriodMs { get; init; } = SimulationTime.Second;
    /// <summary>Initial level of each tank, mm.</summary>
    public IReadOnlyDictionary<string, double> InitialLevels { get; init; } = DefaultInitialLevels;
    public IReadOnlyList<RegimeChange> Regimes { get; init; } = [];
    public IReadOnlyDictionary<string, SensorSettings> Sensors { get; init; } = new Dictionary<string, SensorSettings>();
    public IReadOnlyList<ScenarioEvent> Events { get; init; } = [];

    /// <summary>Rows of the wide table: one per historian sample.</summary>
    public long Samples => DurationMs / SamplingPeriodMs;

    /// <summary>The same scenario without one event: the twin run that shows what the event did.</summary>
    public Scenario Without(ScenarioEvent removed) => this with { Events = [.. Events.Where(e => !ReferenceEquals(e, removed))] };

    /// <summary>The stages an event touches (its targets' stages, or its stage).</summary>
    public static IReadOnlyList<int> StagesOf(ScenarioEvent e) => e.Type switch
    {
        EventType.PlcLogic => [e.Targets[0][1] - '0'],
        EventType.Leak => [e.Targets[0][1] - '0'],
        _ => [.. e.Targets.Select(t => SwatTags.All[SwatTags.Index(t)].Stage).Distinct().Order()],
    };

    /// <summary>SWaT's attack taxonomy: single- or multi-stage, single- or multi-point.</summary>
    public static string CategoryOf(ScenarioEvent e) =>
        (StagesOf(e).Count > 1 ? "multi_stage" : "single_stage") + "_" + (e.Targets.Count > 1 ? "multi_point" : "single_point");

    public JsonObject ToJson()
    {
        var initial = new JsonObject();
        foreach (var tank in Tanks) initial[tank] = InitialLevels[tank];
        var sensors = new JsonObject();
        foreach (var (tag, s) in Sensors.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var o = new JsonObject { ["drift_per_hour"] = s.DriftPerHour };
            if (s.Noise is { } noise) o["noise"] = noise;
            if (s.PeriodMs is { } period) o["period"] = SimulationTime.Seconds(period);
            sensors[tag] = o;
        }
        var regimes = new JsonArray();
        foreach (var r in Regimes)
        {
            var o = new JsonObject { ["at"] = SimulationTime.Seconds(r.AtMs) };
            if (r.RawSupplyM3h is { } raw) o["raw_supply_m3h"] = raw;
            if (r.RoFeedM3h is { } ro) o["ro_feed_m3h"] = ro;
            if (r.Setpoints.Count > 0)
            {
                var sp = new JsonObject();
                foreach (var (tag, values) in r.Setpoints.OrderBy(p => p.Key, StringComparer.Ordinal)) sp[tag] = ThresholdsJson(values);
                o["setpoints"] = sp;
            }
            regimes.Add(o);
        }
        var events = new JsonArray([.. Events.Select(e => (JsonNode?)EventJson(e))]);
        return new JsonObject
        {
            ["schema"] = SchemaVersion,
            ["process"] = Process,
            ["start"] = SimulationTime.FormatInstant(Start),
            ["duration"] = SimulationTime.Seconds(DurationMs),
            ["sampling_period"] = SimulationTime.Seconds(SamplingPeriodMs),
            ["initial_levels_mm"] = initial,
            ["regimes"] = regimes,
            ["sensors"] = sensors,
            ["events"] = events,
        };
    }

    public string ToCanonicalJson() => CanonicalJson.SerializeToString(ToJson());

    /// <summary>One event as the scenario writes it: its id, type, targets, window (seconds from the start) and settings.</summary>
    public static JsonObject EventJson(ScenarioEvent e)
    {
        var o = new JsonObject
        {
            ["id"] = e.Id,
            ["type"] = ScenarioEvent.NameOf(e.Type),
            ["targets"] = new JsonArray([.. e.Targets.Select(t => (JsonNode?)t)]),
            ["start"] = SimulationTime.Seconds(e.StartMs),
            ["duration"] = SimulationTime.Seconds(e.DurationMs),
        };
        if (e.Mode is not null) o["mode"] = e.Mode;
        if (e.Value is { } value) o["value"] = value;
        if (e.ReplayOffsetMs is { } offset) o["replay_offset"] = SimulationTime.Seconds(offset);
        if (e.Thresholds is { } t) o["thresholds"] = ThresholdsJson(t);
        return o;
    }

    private static JsonObject ThresholdsJson(IReadOnlyDictionary<string, double> values) =>
        new(values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
}
