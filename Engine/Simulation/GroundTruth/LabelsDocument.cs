using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Simulation.GroundTruth;

/// <summary>
/// labels.json: the ground truth of a run. Per sample, the label and event ids are columns of the
/// wide table; this document gives per event its type, SWaT category, targets, stages, window (as
/// instants and sample indices), the tags that deviated from its twin run and when, and its physical
/// consequences against the twin (pump dry running, overflow, leaked water).
/// </summary>
public static class LabelsDocument
{
    public const string Version = "radmah.simulate.labels/1";

    public static byte[] Build(Scenario scenario, string contractDigest, IReadOnlyDictionary<string, long> samplesByLabel, Plant main,
        IReadOnlyList<TwinComparison> twins)
    {
        DateTime At(long sample) => scenario.Start.AddTicks(sample * scenario.SamplingPeriodMs * TimeSpan.TicksPerMillisecond);
        string Instant(long ms) => SimulationTime.FormatInstant(scenario.Start.AddTicks(ms * TimeSpan.TicksPerMillisecond));
        var events = new JsonArray();
        foreach (var twin in twins)
        {
            var e = twin.Event;
            var deviations = new JsonArray();
            foreach (var d in twin.Deviations())
                deviations.Add(new JsonObject
                {
                    ["tag"] = d.Tag,
                    ["target"] = d.IsTarget,
                    ["first"] = SimulationTime.FormatInstant(At(d.FirstSample)),
                    ["first_sample"] = d.FirstSample,
                    ["last"] = SimulationTime.FormatInstant(At(d.LastSample)),
                    ["samples"] = d.Samples,
                    ["max_abs_difference"] = Math.Round(d.MaxAbsDifference, 6),
                });
            // The event as the scenario states it (settings, duration in seconds), then what the run made of it.
            var o = Scenario.EventJson(e);
            o["label"] = e.IsAttack ? "Attack" : "Fault";
            o["category"] = Scenario.CategoryOf(e);
            o["stages"] = new JsonArray([.. Scenario.StagesOf(e).Select(s => (JsonNode?)("P" + s))]);
            o["start"] = Instant(e.StartMs);
            o["end"] = Instant(e.EndMs);
            o["first_sample"] = (e.StartMs + scenario.SamplingPeriodMs - 1) / scenario.SamplingPeriodMs;
            o["end_sample"] = (e.EndMs + scenario.SamplingPeriodMs - 1) / scenario.SamplingPeriodMs;
            o["deviations"] = deviations;
            o["consequences"] = Consequences(main, twin.Twin.Plant);
            events.Add(o);
        }
        var labels = new JsonObject();
        foreach (var (label, count) in samplesByLabel.OrderBy(l => l.Key, StringComparer.Ordinal)) labels[label] = count;
        var document = new JsonObject
        {
            ["labels_version"] = Version,
            ["contract_digest"] = contractDigest,
            ["process"] = scenario.Process,
            ["start"] = SimulationTime.FormatInstant(scenario.Start),
            ["sampling_period"] = SimulationTime.Seconds(scenario.SamplingPeriodMs),
            ["samples"] = scenario.Samples,
            ["label_column"] = Output.WideTableWriterNames.LabelColumn,
            ["event_column"] = Output.WideTableWriterNames.EventColumn,
            ["samples_by_label"] = labels,
            ["deviation_rule"] = $"the same scenario and seed run without the event (its twin); the event's targets deviate at any difference, another sensor when it differs by at least {(TwinComparison.SensorShare * 100).ToString(System.Globalization.CultureInfo.InvariantCulture)}% of its range, an actuator when its status differs",
            ["events"] = events,
        };
        return CanonicalJson.Serialize(document);
    }

    /// <summary>Where the run and its twin differ physically: seconds of dry running per pump, m³ overflowed and leaked per tank.</summary>
    private static JsonObject Consequences(Plant main, Plant twin)
    {
        var dry = new JsonObject();
        for (var tag = 0; tag < SwatTags.Count; tag++)
        {
            var extra = main.DryRunSeconds[tag] - twin.DryRunSeconds[tag];
            if (Math.Abs(extra) >= 0.2) dry[SwatTags.All[tag].Name] = Math.Round(extra, 1);
        }
        var overflow = new JsonObject();
        var leak = new JsonObject();
        for (var tank = 0; tank < Scenario.Tanks.Count; tank++)
        {
            var o = main.Balances[tank].Overflow - twin.Balances[tank].Overflow;
            if (Math.Abs(o) >= 1e-6) overflow[Scenario.Tanks[tank]] = Math.Round(o, 6);
            var l = main.Balances[tank].Leak - twin.Balances[tank].Leak;
            if (Math.Abs(l) >= 1e-6) leak[Scenario.Tanks[tank]] = Math.Round(l, 6);
        }
        return new JsonObject { ["pump_dry_run_seconds"] = dry, ["overflow_m3"] = overflow, ["leaked_m3"] = leak };
    }
}
