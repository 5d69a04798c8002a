using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Simulation.Process;

namespace RadMah.Engine.Simulation.Scenarios;

/// <summary>
/// Reads a scenario document and checks it whole: every error names its JSON path
/// ("$.events[2].targets[0]") and says what is accepted there. Unknown fields are refused rather
/// than ignored, so a misspelt setting never silently does nothing.
/// </summary>
public static class ScenarioReader
{
    private static readonly string[] TopFields = ["schema", "process", "start", "duration", "sampling_period", "initial_levels_mm", "regimes", "sensors", "events"];
    private static readonly string[] ThresholdNames = ["LL", "L", "H", "HH"];
    private static readonly string[] SpoofModes = ["constant", "ramp", "replay", "noise"];
    private static readonly string[] LogicChanges = ["invert", "freeze", "disable_interlocks"];

    /// <summary>A scenario from its JSON text; <paramref name="durationOverride"/> and <paramref name="periodOverride"/> come from job params.</summary>
    public static Scenario Read(string json, string? durationOverride = null, string? periodOverride = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw SimulationTime.Error("$", $"is not JSON ({ex.Message})");
        }
        if (node is not JsonObject root) throw SimulationTime.Error("$", "must be a JSON object");
        return Read(root, durationOverride, periodOverride);
    }

    /// <summary>Normal operation for a duration: what a simulate job with only params.duration runs.</summary>
    public static Scenario Normal(string duration, string? period = null) => Read(new JsonObject(), duration, period);

    private static Scenario Read(JsonObject root, string? durationOverride, string? periodOverride)
    {
        Unknown(root, "$", TopFields);
        if (root["schema"] is { } schema && Text(schema, "$.schema") != Scenario.SchemaVersion)
            throw SimulationTime.Error("$.schema", $"must be {Scenario.SchemaVersion}");
        var process = root["process"] is { } p ? Text(p, "$.process") : Scenario.SwatProcess;
        if (process != Scenario.SwatProcess) throw SimulationTime.Error("$.process", $"'{process}' is not a process this platform simulates (swat: a six-stage water-treatment plant)");
        var start = Scenario.DefaultStart;
        if (root["start"] is { } s)
        {
            if (!DateTime.TryParse(Text(s, "$.start"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out start)
                || start.Year is < 1970 or > 2200 || start.Ticks % TimeSpan.TicksPerMillisecond != 0)
                throw SimulationTime.Error("$.start", "must be an ISO 8601 instant between 1970 and 2200, in whole milliseconds, such as 2015-12-22T16:00:00Z");
        }

        if (durationOverride is not null && root["duration"] is not null) throw SimulationTime.Error("$.duration", "is given both in the scenario and as params.duration; give one");
        if (periodOverride is not null && root["sampling_period"] is not null) throw SimulationTime.Error("$.sampling_period", "is given both in the scenario and as params.sampling_period; give one");
        var durationMs = durationOverride is not null ? Time(durationOverride, "$.duration")
            : root["duration"] is { } d ? Time(d, "$.duration")
            : throw SimulationTime.Error("$.duration", "is required (for example 1d, 36h or 90m)");
        if (durationMs <= 0 || durationMs > Scenario.MaxDurationMs) throw SimulationTime.Error("$.duration", "must be more than 0 and at most 8 weeks");
        OnStep(durationMs, "$.duration");
        var periodMs = periodOverride is not null ? Time(periodOverride, "$.sampling_period")
            : root["sampling_period"] is { } sp ? Time(sp, "$.sampling_period") : SimulationTime.Second;
        if (periodMs <= 0 || periodMs > Scenario.MaxSamplingPeriodMs) throw SimulationTime.Error("$.sampling_period", "must be more than 0 and at most 1 hour");
        OnStep(periodMs, "$.sampling_period");
        if (durationMs % periodMs != 0) throw SimulationTime.Error("$.duration", $"must be a whole number of sampling periods ({SimulationTime.Describe(periodMs)})");

        var initial = new Dictionary<string, double>(Scenario.DefaultInitialLevels);
        if (root["initial_levels_mm"] is { } init)
        {
            var o = Object(init, "$.initial_levels_mm");
            foreach (var (tank, value) in o)
            {
                var path = $"$.initial_levels_mm.{tank}";
                if (!Scenario.Tanks.Contains(tank)) throw SimulationTime.Error(path, $"is not a tank ({string.Join(", ", Scenario.Tanks)})");
                initial[tank] = Number(value, path, 0, SwatConstants.TankHeight * 1000);
            }
        }

        var sensors = new Dictionary<string, SensorSettings>(StringComparer.Ordinal);
        if (root["sensors"] is { } sensorsNode)
        {
            foreach (var (tag, value) in Object(sensorsNode, "$.sensors"))
            {
                var path = $"$.sensors.{tag}";
                var t = SensorTag(tag, path);
                var o = Object(value, path);
                Unknown(o, path, ["noise", "drift_per_hour", "period"]);
                var span = t.Max - t.Min;
                double? noise = o["noise"] is { } n ? Number(n, path + ".noise", 0, span) : null;
                var drift = o["drift_per_hour"] is { } dr ? Number(dr, path + ".drift_per_hour", -span, span) : 0;
                long? period = null;
                if (o["period"] is { } per)
                {
                    period = Time(per, path + ".period");
                    if (period <= 0 || period > SimulationTime.Hour) throw SimulationTime.Error(path + ".period", "must be more than 0 and at most 1 hour");
                    OnStep(period.Value, path + ".period");
                }
                sensors[tag] = new SensorSettings(noise, drift, period);
            }
        }

        var regimes = new List<RegimeChange>();
        if (root["regimes"] is { } regimesNode)
        {
            var array = Array(regimesNode, "$.regimes");
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"$.regimes[{i}]";
                var o = Object(array[i], path);
                Unknown(o, path, ["at", "raw_supply_m3h", "ro_feed_m3h", "setpoints"]);
                var at = o["at"] is { } a ? Time(a, path + ".at") : throw SimulationTime.Error(path + ".at", "is required");
                OnStep(at, path + ".at");
                if (at < 0 || at >= durationMs) throw SimulationTime.Error(path + ".at", "must fall inside the scenario's duration");
                double? raw = o["raw_supply_m3h"] is { } r ? Number(r, path + ".raw_supply_m3h", 0, 3.0) : null;
                double? ro = o["ro_feed_m3h"] is { } f ? Number(f, path + ".ro_feed_m3h", 0, 3.0) : null;
                var setpoints = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
                if (o["setpoints"] is { } spNode)
                    foreach (var (tag, values) in Object(spNode, path + ".setpoints"))
                        setpoints[tag] = ThresholdsOf(tag, values, $"{path}.setpoints.{tag}");
                if (raw is null && ro is null && setpoints.Count == 0) throw SimulationTime.Error(path, "changes nothing (give raw_supply_m3h, ro_feed_m3h or setpoints)");
                regimes.Add(new RegimeChange(at, raw, ro, setpoints));
            }
            for (var i = 1; i < regimes.Count; i++)
                if (regimes[i].AtMs < regimes[i - 1].AtMs) throw SimulationTime.Error($"$.regimes[{i}].at", "regimes must be in time order");
        }

        var events = new List<ScenarioEvent>();
        if (root["events"] is { } eventsNode)
        {
            var array = Array(eventsNode, "$.events");
            if (array.Count > Scenario.MaxEvents) throw SimulationTime.Error("$.events", $"holds more than {Scenario.MaxEvents} events");
            for (var i = 0; i < array.Count; i++) events.Add(ReadEvent(array[i], $"$.events[{i}]", durationMs));
            CheckIds(events);
            CheckForcings(events);
        }

        return new Scenario
        {
            Process = process,
            Start = DateTime.SpecifyKind(start, DateTimeKind.Utc),
            DurationMs = durationMs,
            SamplingPeriodMs = periodMs,
            InitialLevels = initial,
            Regimes = regimes,
            Sensors = sensors,
            Events = events,
        };
    }

    private static ScenarioEvent ReadEvent(JsonNode? node, string path, long durationMs)
    {
        var o = Object(node, path);
        Unknown(o, path, ["id", "type", "targets", "start", "duration", "mode", "value", "replay_offset", "thresholds"]);
        var id = o["id"] is { } idNode ? Text(idNode, path + ".id") : throw SimulationTime.Error(path + ".id", "is required");
        if (id.Length is 0 or > 64 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw SimulationTime.Error(path + ".id", "must be 1 to 64 letters, digits, '-', '_' or '.'");
        var typeName = o["type"] is { } typeNode ? Text(typeNode, path + ".type") : throw SimulationTime.Error(path + ".type", "is required");
        var type = ScenarioEvent.Types.FirstOrDefault(t => ScenarioEvent.NameOf(t) == typeName, (EventType)(-1));
        if ((int)type < 0) throw SimulationTime.Error(path + ".type", $"'{typeName}' is not an event type ({string.Join(", ", ScenarioEvent.Types.Select(ScenarioEvent.NameOf))})");
        var start = o["start"] is { } s ? Time(s, path + ".start") : throw SimulationTime.Error(path + ".start", "is required (an offset from the scenario's start, such as 2h)");
        OnStep(start, path + ".start");
        var duration = o["duration"] is { } d ? Time(d, path + ".duration") : throw SimulationTime.Error(path + ".duration", "is required");
        OnStep(duration, path + ".duration");
        if (duration <= 0) throw SimulationTime.Error(path + ".duration", "must be more than 0");
        if (start < 0 || start + duration > durationMs)
            throw SimulationTime.Error(path, $"falls outside the scenario's window (0 to {SimulationTime.Describe(durationMs)}): it runs from {SimulationTime.Describe(start)} to {SimulationTime.Describe(start + duration)}");
        var targetsNode = o["targets"] is { } tn ? Array(tn, path + ".targets") : throw SimulationTime.Error(path + ".targets", "is required");
        if (targetsNode.Count == 0) throw SimulationTime.Error(path + ".targets", "names no target");
        var targets = targetsNode.Select((t, i) => Text(t, $"{path}.targets[{i}]")).ToList();
        if (targets.Distinct(StringComparer.Ordinal).Count() != targets.Count) throw SimulationTime.Error(path + ".targets", "names a target twice");
        var mode = o["mode"] is { } m ? Text(m, path + ".mode") : null;
        var valueNode = o["value"];
        double? value = null;
        long? replayOffset = null;
        IReadOnlyDictionary<string, double>? thresholds = null;

        void Targets(Func<PlantTag, bool> accepts, string what)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                if (!SwatTags.TryIndex(targets[i], out var index)) throw SimulationTime.Error($"{path}.targets[{i}]", $"'{targets[i]}' is not a tag of the plant");
                if (!accepts(SwatTags.All[index])) throw SimulationTime.Error($"{path}.targets[{i}]", $"'{targets[i]}' is not {what}");
            }
        }
        void NoMode() { if (mode is not null) throw SimulationTime.Error(path + ".mode", $"{typeName} takes no mode"); }
        void NoValue() { if (valueNode is not null) throw SimulationTime.Error(path + ".value", $"{typeName} takes no value"); }

        switch (type)
        {
            case EventType.SensorSpoof:
                Targets(t => t.IsSensor, "a sensor");
                if (mode is null || !SpoofModes.Contains(mode)) throw SimulationTime.Error(path + ".mode", $"must be one of {string.Join(", ", SpoofModes)}");
                if (mode == "replay")
                {
                    NoValue();
                    replayOffset = o["replay_offset"] is { } ro ? Time(ro, path + ".replay_offset") : throw SimulationTime.Error(path + ".replay_offset", "is required for a replay");
                    OnStep(replayOffset.Value, path + ".replay_offset");
                    if (replayOffset < duration || replayOffset > start || replayOffset > SimulationTime.Day)
                        throw SimulationTime.Error(path + ".replay_offset", "must be at least the event's duration, at most its start and at most 1 day: the replayed window lies before the event");
                }
                else
                {
                    value = valueNode is null ? throw SimulationTime.Error(path + ".value", $"is required for a {mode} spoof") : Number(valueNode, path + ".value", -1e6, 1e6);
                    if (mode == "noise" && value <= 0) throw SimulationTime.Error(path + ".value", "a noise spoof's standard deviation must be more than 0");
                }
                break;
            case EventType.StaleValues or EventType.SensorFailure:
                Targets(t => t.IsSensor, "a sensor");
                NoMode();
                NoValue();
                break;
            case EventType.ActuatorForce:
                Targets(t => !t.IsSensor, "an actuator");
                if (mode is not ("open" or "close" or "on" or "off")) throw SimulationTime.Error(path + ".mode", "must be open or close (valves), on or off (pumps, UV401)");
                for (var i = 0; i < targets.Count; i++)
                {
                    var valve = SwatTags.All[SwatTags.Index(targets[i])].Kind == TagKind.Valve;
                    if (valve != mode is "open" or "close")
                        throw SimulationTime.Error($"{path}.targets[{i}]", valve ? $"'{targets[i]}' is a valve: force it open or close" : $"'{targets[i]}' is a pump: force it on or off");
                }
                NoValue();
                break;
            case EventType.SetpointTamper:
                if (targets.Count != 1) throw SimulationTime.Error(path + ".targets", "a setpoint attack names one tag");
                NoMode();
                NoValue();
                thresholds = o["thresholds"] is { } tn2 ? ThresholdsOf(targets[0], tn2, path + ".thresholds", targetPath: path + ".targets[0]")
                    : throw SimulationTime.Error(path + ".thresholds", "is required (for example {\"H\": 1100})");
                break;
            case EventType.PlcLogic:
                if (targets.Count != 1 || targets[0] is not ("P1" or "P2" or "P3" or "P4" or "P5" or "P6")) throw SimulationTime.Error(path + ".targets", "a PLC change names one stage, P1 to P6");
                if (mode is null || !LogicChanges.Contains(mode)) throw SimulationTime.Error(path + ".mode", $"must be one of {string.Join(", ", LogicChanges)}");
                NoValue();
                break;
            case EventType.PumpFailure:
                Targets(t => t.Kind == TagKind.Pump, "a pump");
                NoMode();
                NoValue();
                break;
            case EventType.StuckValve:
                Targets(t => t.Kind == TagKind.Valve, "a valve");
                NoMode();
                NoValue();
                break;
            case EventType.Leak:
                if (targets.Count != 1 || !Scenario.Tanks.Contains(targets[0])) throw SimulationTime.Error(path + ".targets", $"a leak names one tank ({string.Join(", ", Scenario.Tanks)})");
                NoMode();
                value = valueNode is null ? throw SimulationTime.Error(path + ".value", "is required: the leak's rate in m3/h") : Number(valueNode, path + ".value", 0, 10);
                if (value <= 0) throw SimulationTime.Error(path + ".value", "a leak's rate must be more than 0 m3/h");
                break;
        }
        if (type != EventType.SensorSpoof && o["replay_offset"] is not null) throw SimulationTime.Error(path + ".replay_offset", "belongs to a replay spoof only");
        if (type != EventType.SetpointTamper && o["thresholds"] is not null) throw SimulationTime.Error(path + ".thresholds", "belongs to a setpoint_tamper only");
        return new ScenarioEvent
        {
            Id = id, Type = type, Targets = targets, StartMs = start, DurationMs = duration, Mode = mode, Value = value, ReplayOffsetMs = replayOffset, Thresholds = thresholds,
        };
    }

    private static void CheckIds(List<ScenarioEvent> events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
            if (!seen.Add(events[i].Id)) throw SimulationTime.Error($"$.events[{i}].id", $"'{events[i].Id}' is the id of an earlier event");
    }

    /// <summary>Two forcings of one actuator at once must agree: open and close together is no scenario.</summary>
    private static void CheckForcings(List<ScenarioEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
            for (var j = 0; j < i; j++)
            {
                var a = events[i];
                var b = events[j];
                if (a.Type != EventType.ActuatorForce || b.Type != EventType.ActuatorForce || a.Mode == b.Mode) continue;
                if (a.StartMs >= b.EndMs || b.StartMs >= a.EndMs) continue;
                var shared = a.Targets.Intersect(b.Targets, StringComparer.Ordinal).FirstOrDefault();
                if (shared is not null)
                    throw SimulationTime.Error($"$.events[{i}]", $"forces {shared} {a.Mode} while event '{b.Id}' forces it {b.Mode}: overlapping forcings of one actuator contradict each other");
            }
    }

    private static IReadOnlyDictionary<string, double> ThresholdsOf(string tag, JsonNode? node, string path, string? targetPath = null)
    {
        if (!SwatTags.TryIndex(tag, out var index) || !Setpoints.Has(index))
            throw SimulationTime.Error(targetPath ?? path, $"'{tag}' has no PLC thresholds (tags with thresholds: {string.Join(", ", Setpoints.Defaults.Keys.Select(k => SwatTags.All[k].Name))})");
        var o = Object(node, path);
        if (o.Count == 0) throw SimulationTime.Error(path, "changes no threshold (LL, L, H, HH)");
        var t = SwatTags.All[index];
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var merged = Setpoints.Defaults[index];
        foreach (var (name, value) in o)
        {
            if (!ThresholdNames.Contains(name)) throw SimulationTime.Error($"{path}.{name}", "is not a threshold (LL, L, H, HH)");
            result[name] = Number(value, $"{path}.{name}", t.Min, t.Max);
            merged = merged.With(name, result[name]);
        }
        if (!(merged.LL <= merged.L && merged.L < merged.H && merged.H <= merged.HH))
            throw SimulationTime.Error(path, $"would leave {tag}'s thresholds out of order (LL ≤ L < H ≤ HH): {merged.LL}, {merged.L}, {merged.H}, {merged.HH}");
        return result;
    }

    private static PlantTag SensorTag(string name, string path)
    {
        if (!SwatTags.TryIndex(name, out var index)) throw SimulationTime.Error(path, $"'{name}' is not a tag of the plant");
        var tag = SwatTags.All[index];
        return tag.IsSensor ? tag : throw SimulationTime.Error(path, $"'{name}' is an actuator, not a sensor");
    }

    private static void OnStep(long ms, string path)
    {
        if (ms % SwatConstants.PhysicsStepMs != 0) throw SimulationTime.Error(path, "must be a multiple of the 0.2 s physics step");
    }

    private static long Time(JsonNode node, string path)
    {
        try
        {
            return node.GetValueKind() switch
            {
                JsonValueKind.Number => SimulationTime.ParseMilliseconds(node.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)),
                JsonValueKind.String => SimulationTime.ParseMilliseconds(node.GetValue<string>()),
                _ => throw new ArgumentException("must be a duration: seconds, or text such as 90s, 15m, 1h30m, 2d"),
            };
        }
        catch (ArgumentException ex)
        {
            throw SimulationTime.Error(path, ex.Message);
        }
    }

    private static long Time(string text, string path)
    {
        try
        {
            return SimulationTime.ParseMilliseconds(text);
        }
        catch (ArgumentException ex)
        {
            throw SimulationTime.Error(path, ex.Message);
        }
    }

    private static double Number(JsonNode? node, string path, double min, double max)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw SimulationTime.Error(path, "must be a number");
        var v = node.GetValue<double>();
        if (!double.IsFinite(v) || v < min || v > max) throw SimulationTime.Error(path, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }

    private static string Text(JsonNode? node, string path) =>
        node is not null && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw SimulationTime.Error(path, "must be a string");

    private static JsonObject Object(JsonNode? node, string path) => node as JsonObject ?? throw SimulationTime.Error(path, "must be an object");

    private static JsonArray Array(JsonNode? node, string path) => node as JsonArray ?? throw SimulationTime.Error(path, "must be an array");

    private static void Unknown(JsonObject o, string path, string[] known)
    {
        foreach (var (key, _) in o)
            if (!known.Contains(key)) throw SimulationTime.Error($"{path}.{key}", $"is not a field here (fields: {string.Join(", ", known)})");
    }
}
