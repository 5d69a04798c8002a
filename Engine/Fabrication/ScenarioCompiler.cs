using System.Globalization;
using System.Text.RegularExpressions;
using RadMah.Engine.Contracts;
using RadMah.Engine.Randomness;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Fabrication;

/// <summary>
/// The built-in scenario compiler: a description such as "a week of normal operation with three
/// sensor-spoofing attacks on stage 1 at night and a pump failure on day 5" becomes a pack of
/// scenarios. It understands durations, counts, the attack and fault types of the taxonomy, stages
/// and tags, "multi-point" and "multi-stage", time-of-day words, "on day N" and event lengths
/// ("lasting 10 minutes"). What the words leave open (exact instants, targets, values) is drawn
/// from the seed, differently for each variant, within the description's bounds. Words it does not
/// understand become warnings; the result always passes simulate's own checks.
/// </summary>
public static partial class ScenarioCompiler
{
    public const string Version = "radmah.scenario-compiler/1";
    public const int MaxDescription = 2000;
    public const int MaxVariants = 100;

    private sealed record Request(EventType Type, string? Mode, int Count, IReadOnlyList<int> Stages, IReadOnlyList<string> Tags, (int From, int To)? Hours,
        int? Day, long? LengthMs, bool MultiPoint, bool MultiStage, string Words);

    private static readonly (string Phrase, EventType Type, string? Mode)[] Types =
    [
        ("replay", EventType.SensorSpoof, "replay"), ("ramp", EventType.SensorSpoof, "ramp"), ("noise injection", EventType.SensorSpoof, "noise"),
        ("spoof", EventType.SensorSpoof, "constant"), ("false data", EventType.SensorSpoof, "constant"), ("sensor manipulation", EventType.SensorSpoof, "constant"),
        ("stale", EventType.StaleValues, null), ("denial of service", EventType.StaleValues, null), ("dos", EventType.StaleValues, null), ("frozen", EventType.StaleValues, null),
        ("actuator forcing", EventType.ActuatorForce, null), ("forc", EventType.ActuatorForce, null),
        ("setpoint", EventType.SetpointTamper, null), ("threshold", EventType.SetpointTamper, null),
        ("plc logic", EventType.PlcLogic, null), ("logic change", EventType.PlcLogic, null), ("plc change", EventType.PlcLogic, null),
        ("sensor failure", EventType.SensorFailure, null), ("sensor fault", EventType.SensorFailure, null), ("transmitter failure", EventType.SensorFailure, null),
        ("pump failure", EventType.PumpFailure, null), ("pump fault", EventType.PumpFailure, null), ("pump trip", EventType.PumpFailure, null),
        ("leak", EventType.Leak, null), ("stuck valve", EventType.StuckValve, null), ("valve stuck", EventType.StuckValve, null),
    ];

    private static readonly Dictionary<string, int> Numbers = new()
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["single"] = 1, ["two"] = 2, ["a couple of"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["several"] = 3, ["a few"] = 3,
    };

    private static readonly Dictionary<string, (int From, int To)> TimesOfDay = new()
    {
        ["at night"] = (22, 29), ["overnight"] = (22, 29), ["in the night"] = (22, 29), ["in the morning"] = (6, 12), ["in the afternoon"] = (12, 18),
        ["in the evening"] = (18, 22), ["during the day"] = (8, 18), ["daytime"] = (8, 18),
    };

    private static readonly HashSet<string> Understood =
    [
        "a", "an", "the", "of", "with", "and", "on", "in", "at", "during", "plus", "then", "also", "each", "every", "one", "some", "its", "their", "to", "for", "from",
        "normal", "operation", "operations", "plant", "process", "run", "scenario", "scenarios", "attack", "attacks", "fault", "faults", "event", "events",
        "stage", "stages", "day", "days", "week", "weeks", "hour", "hours", "minute", "minutes", "h", "m", "d", "w", "s", "lasting", "long", "time",
        "multi", "point", "points", "sensor", "sensors", "attacker", "injected", "targeted", "targeting", "water", "treatment", "swat",
        "that", "it", "is", "are", "which", "by", "into", "over", "across", "after", "before", "start", "late", "early",
    ];

    /// <summary>The pack for a description: <paramref name="variants"/> scenarios differing in timing and targets.</summary>
    public static (ScenarioPack Pack, IReadOnlyList<string> Warnings) Compile(string description, int variants, long seed)
    {
        CheckDescription(description);
        if (variants is < 1 or > MaxVariants) throw new ContractException($"params: variants must be between 1 and {MaxVariants}; got {variants}.", "params");
        var warnings = new List<string>();
        var text = " " + Regex.Replace(description.ToLowerInvariant(), @"[^a-z0-9.\-+ ]", " ").Replace('-', ' ') + " ";
        var durationMs = Duration(ref text, warnings);
        var requests = Requests(text, durationMs, warnings);
        var scenarios = new List<Scenario>();
        for (var v = 0; v < variants; v++) scenarios.Add(Place(requests, durationMs, seed, v, warnings));
        var unknown = Leftovers(text).ToList();
        if (unknown.Count > 0) warnings.Add($"words not understood and left out: {string.Join(", ", unknown.Select(w => $"'{w}'"))}.");
        return (new ScenarioPack(description, scenarios), warnings.Distinct().ToList());
    }

    /// <summary>What every path requires of a scenario description: some text, at most <see cref="MaxDescription"/> characters.</summary>
    public static void CheckDescription(string description)
    {
        if (string.IsNullOrWhiteSpace(description)) throw new ContractException("description: describe the scenario, for example \"a week of normal operation with three sensor-spoofing attacks on stage 1 at night\".");
        if (description.Length > MaxDescription) throw new ContractException($"description must be at most {MaxDescription} characters.");
    }

    private static long Duration(ref string text, List<string> warnings)
    {
        var m = DurationPattern().Match(text);
        if (!m.Success)
        {
            warnings.Add("no duration given: one day of operation.");
            return SimulationTime.Day;
        }
        var amount = m.Groups["n"].Value is "" or "a" or "an" or "one" ? 1 : Numbers.TryGetValue(m.Groups["n"].Value, out var w) ? w : int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups["u"].Value;
        var ms = unit.StartsWith("week", StringComparison.Ordinal) ? SimulationTime.Week : unit.StartsWith("day", StringComparison.Ordinal) ? SimulationTime.Day
            : unit.StartsWith("hour", StringComparison.Ordinal) ? SimulationTime.Hour : SimulationTime.Minute;
        var total = amount * ms;
        if (total > Scenario.MaxDurationMs)
        {
            warnings.Add($"'{m.Value.Trim()}' is longer than simulate's 8 weeks: 8 weeks.");
            total = Scenario.MaxDurationMs;
        }
        text = text.Remove(m.Index, m.Length).Insert(m.Index, " ");
        return Math.Max(10 * SimulationTime.Minute, total);
    }

    private static List<Request> Requests(string text, long durationMs, List<string> warnings)
    {
        var requests = new List<Request>();
        foreach (var clause in ClauseSplit().Split(text).Where(c => c.Trim().Length > 0))
        {
            var match = Types.FirstOrDefault(t => clause.Contains(t.Phrase, StringComparison.Ordinal));
            if (match.Phrase is null) continue;
            var count = 1;
            var countMatch = CountPattern().Match(clause);
            if (countMatch.Success) count = Numbers.TryGetValue(countMatch.Groups["n"].Value, out var w) ? w : int.Parse(countMatch.Groups["n"].Value, CultureInfo.InvariantCulture);
            if (count is < 1 or > 200)
            {
                warnings.Add($"{count} events of one kind is out of range (1 to 200): 1.");
                count = 1;
            }
            var stages = StagePattern().Matches(clause).Select(m => int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture)).Where(s => s is >= 1 and <= 6).Distinct().ToList();
            var tags = TagPattern().Matches(clause.ToUpperInvariant()).Select(m => m.Value).Where(t => SwatTags.TryIndex(t, out _)).Distinct().ToList();
            var hours = TimesOfDay.FirstOrDefault(t => clause.Contains(t.Key, StringComparison.Ordinal)).Value is var h && h != default ? h : ((int, int)?)null;
            int? day = DayPattern().Match(clause) is { Success: true } d ? int.Parse(d.Groups["d"].Value, CultureInfo.InvariantCulture) : null;
            if (day is { } dd && (dd < 1 || (dd - 1) * SimulationTime.Day >= durationMs))
            {
                warnings.Add($"day {dd} is outside the scenario's {SimulationTime.Describe(durationMs)}: any day.");
                day = null;
            }
            long? length = LengthPattern().Match(clause) is { Success: true } l
                ? int.Parse(l.Groups["n"].Value, CultureInfo.InvariantCulture) * (l.Groups["u"].Value.StartsWith('h') ? SimulationTime.Hour : SimulationTime.Minute) : null;
            var mode = match.Mode;
            if (match.Type == EventType.ActuatorForce) mode = Regex.IsMatch(clause, @"\b(close|closed|off|stop|stopped)\b") ? "off" : Regex.IsMatch(clause, @"\b(open|opened|on|start|started)\b") ? "on" : null;
            if (match.Type == EventType.PlcLogic) mode = clause.Contains("freez", StringComparison.Ordinal) ? "freeze" : clause.Contains("interlock", StringComparison.Ordinal) ? "disable_interlocks" : clause.Contains("invert", StringComparison.Ordinal) ? "invert" : null;
            requests.Add(new Request(match.Type, mode, count, stages, tags, hours, day, length,
                clause.Contains("multi point", StringComparison.Ordinal), clause.Contains("multi stage", StringComparison.Ordinal), clause.Trim()));
        }
        if (requests.Count == 0 && !text.Contains("normal", StringComparison.Ordinal))
            warnings.Add("no attack or fault named: normal operation.");
        return requests;
    }

    /// <summary>One variant: every requested event gets its instant, length, targets and settings from the seed.</summary>
    private static Scenario Place(IReadOnlyList<Request> requests, long durationMs, long seed, int variant, List<string> warnings)
    {
        var random = SplitMix64.ForCell(SplitMix64.SeedKey((ulong)seed), variant, 7);
        var events = new List<ScenarioEvent>();
        var busy = new List<(long From, long To)>();
        var counter = new Dictionary<bool, int> { [true] = 0, [false] = 0 };
        foreach (var request in requests)
        {
            for (var k = 0; k < request.Count; k++)
            {
                var length = Math.Min(request.LengthMs ?? Step(random.NextInRange(5, 20) * SimulationTime.Minute), durationMs / 4);
                length = Math.Max(SwatConstants.PhysicsStepMs * 5, length - length % SimulationTime.Second);
                var start = Start(request, length, durationMs, busy, ref random, warnings);
                busy.Add((start, start + length));
                var targets = Targets(request, ref random, warnings);
                var isAttack = request.Type is not (EventType.SensorFailure or EventType.PumpFailure or EventType.Leak or EventType.StuckValve);
                var id = (isAttack ? "A" : "F") + (++counter[isAttack]).ToString(CultureInfo.InvariantCulture);
                events.Add(Settle(request, id, targets, start, length, ref random));
            }
        }
        events.Sort((a, b) => a.StartMs.CompareTo(b.StartMs));
        var scenario = new Scenario { DurationMs = durationMs, Events = events };
        // The pack must pass exactly what simulate checks.
        return ScenarioReader.Read(scenario.ToCanonicalJson());
    }

    private static long Step(long ms) => ms - ms % SwatConstants.PhysicsStepMs;

    private static long Start(Request request, long length, long durationMs, List<(long From, long To)> busy, ref SplitMix64 random, List<string> warnings)
    {
        // Candidate windows: the day asked for (or any), within the hours asked for (or any), leaving the first 30 minutes to start-up.
        var windows = new List<(long From, long To)>();
        var days = (int)Math.Ceiling(durationMs / (double)SimulationTime.Day);
        for (var d = 0; d < days; d++)
        {
            if (request.Day is { } day && day - 1 != d) continue;
            var (from, to) = request.Hours ?? (0, 24);
            windows.Add((d * SimulationTime.Day + from * SimulationTime.Hour, d * SimulationTime.Day + to * SimulationTime.Hour));
        }
        var startUp = Math.Min(30 * SimulationTime.Minute, durationMs / 4);
        windows = [.. windows.Select(w => (Math.Max(w.From, startUp), Math.Min(w.To, durationMs) - length)).Where(w => w.Item2 > w.Item1)];
        if (windows.Count == 0)
        {
            warnings.Add($"'{request.Words}': no room in the scenario for the time asked: anywhere after start-up.");
            windows = [(startUp, durationMs - length)];
        }
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (from, to) = windows[(int)random.NextBelow((ulong)windows.Count)];
            var start = Step(from + (long)random.NextBelow((ulong)(to - from)) / SimulationTime.Second * SimulationTime.Second);
            if (!busy.Any(b => start < b.To + 5 * SimulationTime.Minute && b.From < start + length + 5 * SimulationTime.Minute)) return start;
        }
        var fallback = windows[0];
        return Step(fallback.From + (long)random.NextBelow((ulong)(fallback.To - fallback.From)) / SimulationTime.Second * SimulationTime.Second);
    }

    private static IReadOnlyList<string> Targets(Request request, ref SplitMix64 random, List<string> warnings)
    {
        Func<PlantTag, bool> fits = request.Type switch
        {
            EventType.SensorSpoof or EventType.StaleValues or EventType.SensorFailure => t => t.IsSensor,
            EventType.ActuatorForce => t => !t.IsSensor && t.Name is not ("P603" or "P102" or "P202" or "P204" or "P206" or "P301" or "P401" or "P404" or "P502"),
            EventType.PumpFailure => t => t.Kind == TagKind.Pump && t.Name is not ("P603" or "UV401"),
            EventType.StuckValve => t => t.Kind == TagKind.Valve,
            EventType.SetpointTamper => t => Setpoints.Has(SwatTags.Index(t.Name)),
            _ => _ => false,
        };
        if (request.Type is EventType.PlcLogic or EventType.Leak)
        {
            var stages = request.Type == EventType.Leak ? new[] { 1, 3, 4, 6 } : [1, 2, 3, 4, 5, 6];
            var asked = request.Stages.Where(stages.Contains).ToList();
            var stage = asked.Count > 0 ? asked[(int)random.NextBelow((ulong)asked.Count)] : stages[(int)random.NextBelow((ulong)stages.Length)];
            return [request.Type == EventType.Leak ? "T" + stage + (stage == 6 ? "02" : "01") : "P" + stage];
        }
        var named = request.Tags.Where(t => fits(SwatTags.All[SwatTags.Index(t)])).ToList();
        if (named.Count < request.Tags.Count) warnings.Add($"'{request.Words}': {string.Join(", ", request.Tags.Except(named))} cannot be a target of {ScenarioEvent.NameOf(request.Type)}; left out.");
        if (named.Count > 0) return request.Type == EventType.SetpointTamper ? [named[0]] : named;
        var pool = SwatTags.All.Where(fits).Where(t => request.Stages.Count == 0 || request.Stages.Contains(t.Stage)).ToList();
        if (pool.Count == 0)
        {
            warnings.Add($"'{request.Words}': stage {string.Join(", ", request.Stages)} has no target for {ScenarioEvent.NameOf(request.Type)}: any stage.");
            pool = [.. SwatTags.All.Where(fits)];
        }
        var wanted = request.Type == EventType.SetpointTamper ? 1 : request.MultiPoint || request.MultiStage ? 2 : 1;
        var chosen = new List<PlantTag>();
        while (chosen.Count < wanted && chosen.Count < pool.Count)
        {
            var candidates = pool.Where(t => !chosen.Contains(t) && (!request.MultiStage || chosen.Count == 0 || t.Stage != chosen[0].Stage)).ToList();
            if (candidates.Count == 0) candidates = [.. pool.Where(t => !chosen.Contains(t))];
            chosen.Add(candidates[(int)random.NextBelow((ulong)candidates.Count)]);
        }
        // One forcing mode must fit every target: keep to valves or to pumps.
        if (request.Type == EventType.ActuatorForce && chosen.Select(t => t.Kind).Distinct().Count() > 1) chosen = [chosen[0]];
        return [.. chosen.Select(t => t.Name)];
    }

    private static ScenarioEvent Settle(Request request, string id, IReadOnlyList<string> targets, long start, long length, ref SplitMix64 random)
    {
        string? mode = request.Mode;
        double? value = null;
        long? replay = null;
        IReadOnlyDictionary<string, double>? thresholds = null;
        var first = targets[0].StartsWith('T') || targets[0] is ['P', >= '1' and <= '6'] ? null : SwatTags.All[SwatTags.Index(targets[0])];
        switch (request.Type)
        {
            case EventType.SensorSpoof:
                mode ??= "constant";
                if (mode == "replay")
                {
                    replay = Math.Min(start, Math.Max(length, Step(random.NextInRange(1, 6) * 10 * SimulationTime.Minute)));
                    if (replay < length || replay > SimulationTime.Day) mode = "constant";
                }
                if (mode == "constant") replay = null;
                if (mode == "constant") value = random.NextBelow(2) == 0 ? first!.Min : Math.Round(first!.Min + (first.Max - first.Min) * 0.8, first.Decimals);
                if (mode == "ramp") value = Math.Round((first!.Max - first.Min) / 2000.0 * (random.NextBelow(2) == 0 ? 1 : -1), 6);
                if (mode == "noise") value = Math.Round((first!.Max - first.Min) * 0.05, 6);
                break;
            case EventType.ActuatorForce:
                var on = mode switch { "on" => true, "off" => false, _ => random.NextBelow(2) == 0 };
                mode = first!.Kind == TagKind.Valve ? on ? "open" : "close" : on ? "on" : "off";
                break;
            case EventType.SetpointTamper:
                var t = Setpoints.Defaults[SwatTags.Index(targets[0])];
                // Raise H toward HH: the controlled quantity runs past its normal band.
                thresholds = new Dictionary<string, double> { ["H"] = Math.Round(t.H + (t.HH - t.H) * 0.9, 4) };
                break;
            case EventType.PlcLogic:
                mode ??= new[] { "invert", "freeze", "disable_interlocks" }[random.NextBelow(3)];
                break;
            case EventType.Leak:
                value = Math.Round(0.2 + 0.6 * random.NextDouble(), 2);
                break;
        }
        return new ScenarioEvent
        {
            Id = id, Type = request.Type, Targets = targets, StartMs = start, DurationMs = length, Mode = mode, Value = value, ReplayOffsetMs = replay, Thresholds = thresholds,
        };
    }

    private static IEnumerable<string> Leftovers(string text)
    {
        var cleaned = text;
        foreach (var phrase in Types.Select(t => t.Phrase).Concat(TimesOfDay.Keys).Concat(Numbers.Keys).OrderByDescending(p => p.Length))
            cleaned = Regex.Replace(cleaned, $@"\b{Regex.Escape(phrase)}\w*", " ");
        foreach (var word in WordPattern().Matches(cleaned).Select(m => m.Value))
        {
            if (Understood.Contains(word) || word.All(char.IsAsciiDigit) || SwatTags.TryIndex(word.ToUpperInvariant(), out _) || word is "p1" or "p2" or "p3" or "p4" or "p5" or "p6") continue;
            if (word is "open" or "opened" or "close" or "closed" or "off" or "stop" or "stopped" or "started" || word.StartsWith("freez", StringComparison.Ordinal)
                || word.StartsWith("interlock", StringComparison.Ordinal) || word.StartsWith("invert", StringComparison.Ordinal)) continue;
            yield return word;
        }
    }

    [GeneratedRegex(@"\b(?<n>a|an|one|two|three|four|five|six|seven|eight|\d+)?\s*(?<u>weeks?|days?|hours?|minutes?)\b(?!\s*\d)(?=\s+(of|with|normal|operation|run)|\s*$)")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"\s(?:,|;|\band\b|\bwith\b|\bplus\b|\bthen\b)\s|,|;")]
    private static partial Regex ClauseSplit();

    [GeneratedRegex(@"^\s*(?<n>a couple of|a few|several|an|a|one|single|two|three|four|five|six|seven|eight|nine|ten|\d+)\b")]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"\b(?:stage|p)\s*(?<s>\d)\b")]
    private static partial Regex StagePattern();

    [GeneratedRegex(@"\b[A-Z]{1,4}\d{3}\b")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\bday\s+(?<d>\d+)\b")]
    private static partial Regex DayPattern();

    [GeneratedRegex(@"\b(?:lasting|for|of)\s+(?<n>\d+)\s*(?<u>minutes?|mins?|hours?|h|m)\b")]
    private static partial Regex LengthPattern();

    [GeneratedRegex(@"[a-z][a-z0-9]*")]
    private static partial Regex WordPattern();
}
