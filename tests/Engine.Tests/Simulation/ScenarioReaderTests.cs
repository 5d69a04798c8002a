using RadMah.Engine.Contracts;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Tests.Simulation;

public class ScenarioReaderTests
{
    [Fact]
    public void A_scenario_with_every_kind_of_event_reads_and_its_canonical_form_reads_back_to_itself()
    {
        var scenario = ScenarioReader.Read("""
            {"schema": "radmah.scenario/1", "start": "2016-01-02T03:04:05Z", "duration": "1h30m", "sampling_period": 2,
             "initial_levels_mm": {"T101": 650},
             "regimes": [{"at": "20m", "raw_supply_m3h": 2.2, "setpoints": {"LIT101": {"H": 850}}}],
             "sensors": {"LIT101": {"noise": 1.5, "drift_per_hour": 0.5, "period": "0.4s"}},
             "events": [
               {"id": "A1", "type": "sensor_spoof", "targets": ["LIT101"], "start": "10m", "duration": "5m", "mode": "ramp", "value": 1},
               {"id": "A2", "type": "sensor_spoof", "targets": ["LIT301", "FIT201"], "start": "20m", "duration": "2m", "mode": "replay", "replay_offset": "10m"},
               {"id": "A3", "type": "actuator_force", "targets": ["MV101", "MV201"], "start": "30m", "duration": "1m", "mode": "open"},
               {"id": "A4", "type": "setpoint_tamper", "targets": ["LIT401"], "start": "40m", "duration": "1m", "thresholds": {"LL": 100}},
               {"id": "A5", "type": "plc_logic", "targets": ["P3"], "start": "50m", "duration": "1m", "mode": "freeze"},
               {"id": "A6", "type": "stale_values", "targets": ["DPIT301"], "start": "55m", "duration": "1m"},
               {"id": "F1", "type": "sensor_failure", "targets": ["AIT201"], "start": "60m", "duration": "1m"},
               {"id": "F2", "type": "pump_failure", "targets": ["P101"], "start": "61m", "duration": "1m"},
               {"id": "F3", "type": "leak", "targets": ["T401"], "start": "62m", "duration": "1m", "value": 0.3},
               {"id": "F4", "type": "stuck_valve", "targets": ["MV302"], "start": "63m", "duration": "1m"}]}
            """);
        Assert.Equal(2700, scenario.Samples);
        Assert.Equal(10, scenario.Events.Count);
        Assert.Equal("multi_stage_multi_point", Scenario.CategoryOf(scenario.Events[2]));
        Assert.Equal("single_stage_single_point", Scenario.CategoryOf(scenario.Events[0]));
        Assert.Equal("multi_stage_multi_point", Scenario.CategoryOf(scenario.Events[1]));
        var canonical = scenario.ToCanonicalJson();
        Assert.Equal(canonical, ScenarioReader.Read(canonical).ToCanonicalJson());
        Assert.Contains("\"T602\":600", canonical);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { """[1, 2]""", "$: must be a JSON object" },
        { """{"duration": "1h", "evnts": []}""", "$.evnts: is not a field here" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "sensor_spoof", "targets": ["LIT999"], "start": "1m", "duration": "1m", "mode": "constant", "value": 1}]}""", "$.events[0].targets[0]: 'LIT999' is not a tag of the plant" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "sensor_spoof", "targets": ["MV101"], "start": "1m", "duration": "1m", "mode": "constant", "value": 1}]}""", "$.events[0].targets[0]: 'MV101' is not a sensor" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "stale_values", "targets": ["LIT101"], "start": "50m", "duration": "20m"}]}""", "$.events[0]: falls outside the scenario's window" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "stale_values", "targets": ["LIT101"], "start": "-5m", "duration": "1m"}]}""", "$.events[0].start" },
        { """{"duration": "1h", "events": [{"id": "a", "type": "actuator_force", "targets": ["P101"], "start": "1m", "duration": "10m", "mode": "on"}, {"id": "b", "type": "actuator_force", "targets": ["P101", "P102"], "start": "5m", "duration": "10m", "mode": "off"}]}""", "$.events[1]: forces P101 off while event 'a' forces it on" },
        { """{"duration": "1h", "events": [{"id": "a", "type": "actuator_force", "targets": ["MV101"], "start": "1m", "duration": "1m", "mode": "on"}]}""", "'MV101' is a valve: force it open or close" },
        { """{"duration": "0s"}""", "$.duration: must be more than 0 and at most 8 weeks" },
        { """{"duration": "-2h"}""", "$.duration" },
        { """{"duration": "9w"}""", "$.duration: must be more than 0 and at most 8 weeks" },
        { """{"duration": "100y"}""", "$.duration: '100y' has the unknown unit 'y'" },
        { """{"duration": "1h", "sampling_period": "0.1s"}""", "$.sampling_period: must be a multiple of the 0.2 s physics step" },
        { """{"duration": "1h", "sampling_period": "2h"}""", "$.sampling_period: must be more than 0 and at most 1 hour" },
        { """{"duration": "1h", "sampling_period": 0}""", "$.sampling_period: must be more than 0" },
        { """{"duration": "1h", "sampling_period": "7s"}""", "$.duration: must be a whole number of sampling periods" },
        { """{"duration": "1h", "process": "tennessee"}""", "$.process: 'tennessee' is not a process" },
        { """{"duration": "1h", "initial_levels_mm": {"T101": 2000}}""", "$.initial_levels_mm.T101: must be between 0 and 1600" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "setpoint_tamper", "targets": ["LIT101"], "start": "1m", "duration": "1m", "thresholds": {"H": 100}}]}""", "$.events[0].thresholds: would leave LIT101's thresholds out of order" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "meteor", "targets": ["T101"], "start": "1m", "duration": "1m"}]}""", "$.events[0].type: 'meteor' is not an event type" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "leak", "targets": ["T101"], "start": "1m", "duration": "1m"}, {"id": "x", "type": "leak", "targets": ["T301"], "start": "1m", "duration": "1m", "value": 1}]}""", "$.events[0].value: is required" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "leak", "targets": ["T101"], "start": "1m", "duration": "1m", "value": 1}, {"id": "x", "type": "leak", "targets": ["T301"], "start": "1m", "duration": "1m", "value": 1}]}""", "$.events[1].id: 'x' is the id of an earlier event" },
        { """{"duration": "1h", "events": [{"id": "x", "type": "sensor_spoof", "targets": ["LIT101"], "start": "5m", "duration": "2m", "mode": "replay", "replay_offset": "10m"}]}""", "$.events[0].replay_offset" },
        { """{"duration": "1h"  """, "$: is not JSON" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_bad_scenario_is_refused_with_the_json_path_at_fault(string json, string message)
    {
        var ex = Assert.Throws<ContractException>(() => ScenarioReader.Read(json));
        Assert.Contains(message, ex.Message);
        Assert.Equal("params", ex.Field);
    }

    [Fact]
    public void A_duration_given_twice_is_refused_and_params_fill_what_the_scenario_leaves_out()
    {
        Assert.Contains("given both in the scenario and as params.duration", Assert.Throws<ContractException>(() => ScenarioReader.Read("""{"duration": "1h"}""", "2h")).Message);
        var scenario = ScenarioReader.Read("""{"events": []}""", "2h", "5s");
        Assert.Equal((2 * SimulationTime.Hour, 5 * SimulationTime.Second, 1440L), (scenario.DurationMs, scenario.SamplingPeriodMs, scenario.Samples));
        Assert.Contains("$.duration: is required", Assert.Throws<ContractException>(() => ScenarioReader.Read("{}")).Message);
    }
}
