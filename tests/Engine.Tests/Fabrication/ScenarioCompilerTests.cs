using RadMah.Engine.Contracts;
using RadMah.Engine.Fabrication;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Engine.Tests.Fabrication;

/// <summary>The built-in scenario compiler on a corpus of descriptions: what each must produce, and what it must warn about.</summary>
public class ScenarioCompilerTests
{
    private static Scenario One(string description, long seed = 1, List<string>? warnings = null)
    {
        var (pack, w) = ScenarioCompiler.Compile(description, 1, seed);
        warnings?.AddRange(w);
        return Assert.Single(pack.Scenarios);
    }

    [Fact]
    public void The_issues_example_gives_a_week_three_night_spoofs_on_stage_1_and_a_pump_failure_on_day_5()
    {
        var warnings = new List<string>();
        var s = One("a week of normal operation with three sensor-spoofing attacks on stage 1 at night and a pump failure on day 5", warnings: warnings);
        Assert.Equal(SimulationTime.Week, s.DurationMs);
        var spoofs = s.Events.Where(e => e.Type == EventType.SensorSpoof).ToList();
        Assert.Equal(3, spoofs.Count);
        foreach (var e in spoofs)
        {
            Assert.All(e.Targets, t => Assert.Equal(1, SwatTags.All[SwatTags.Index(t)].Stage));
            var hour = e.StartMs % SimulationTime.Day / SimulationTime.Hour;
            var endHour = (e.EndMs - 1) % SimulationTime.Day / SimulationTime.Hour;
            Assert.True(hour is >= 22 or < 5 && endHour is >= 22 or < 5, $"{e.Id} runs from hour {hour} to {endHour}");
        }
        var failure = Assert.Single(s.Events, e => e.Type == EventType.PumpFailure);
        Assert.Equal(4, failure.StartMs / SimulationTime.Day);
        Assert.Empty(warnings);
    }

    public static TheoryData<string, EventType, int, string?> Corpus() => new()
    {
        { "two days with a replay attack on LIT301", EventType.SensorSpoof, 1, "LIT301" },
        { "36 hours of operation with a denial of service on stage 3", EventType.StaleValues, 1, null },
        { "one day with 4 stuck valves", EventType.StuckValve, 4, null },
        { "a day of operation with a leak in stage 4 lasting 30 minutes", EventType.Leak, 1, "T401" },
        { "12 hours with a plc logic change on stage 2 that freezes it", EventType.PlcLogic, 1, "P2" },
        { "a day with setpoint tampering on LIT101", EventType.SetpointTamper, 1, "LIT101" },
        { "3 days with two sensor failures in the morning", EventType.SensorFailure, 2, null },
        { "a day with actuator forcing of P101 off", EventType.ActuatorForce, 1, "P101" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_description_names_its_events_and_their_targets(string description, EventType type, int count, string? target)
    {
        var s = One(description);
        var events = s.Events.Where(e => e.Type == type).ToList();
        Assert.Equal(count, events.Count);
        Assert.Equal(count, s.Events.Count);
        if (target is not null) Assert.All(events, e => Assert.Contains(target, e.Targets));
    }

    [Fact]
    public void Details_in_the_words_are_honoured()
    {
        Assert.Equal(30 * SimulationTime.Minute, One("a day of operation with a leak in stage 4 lasting 30 minutes").Events[0].DurationMs);
        Assert.Equal("freeze", One("12 hours with a plc logic change on stage 2 that freezes it").Events[0].Mode);
        Assert.Equal("off", One("a day with actuator forcing of P101 off").Events[0].Mode);
        Assert.Equal("replay", One("two days with a replay attack on LIT301").Events[0].Mode);
        var multi = One("a day with a multi-stage spoofing attack");
        Assert.Equal(2, multi.Events[0].Targets.Count);
        Assert.Equal("multi_stage_multi_point", Scenario.CategoryOf(multi.Events[0]));
    }

    [Fact]
    public void Unknown_words_and_impossible_requests_become_warnings_saying_what_was_chosen()
    {
        var warnings = new List<string>();
        var s = One("a week with a leak on day 9 and some flamingos", warnings: warnings);
        Assert.Single(s.Events);
        Assert.Contains(warnings, w => w.Contains("day 9 is outside the scenario's 7d: any day"));
        Assert.Contains(warnings, w => w.Contains("'flamingos'"));
        warnings.Clear();
        One("spoofing attacks everywhere", warnings: warnings);
        Assert.Contains(warnings, w => w.Contains("no duration given: one day"));
        warnings.Clear();
        One("a day with a sensor failure of MV101", warnings: warnings);
        Assert.Contains(warnings, w => w.Contains("MV101 cannot be a target of sensor_failure"));
    }

    [Fact]
    public void Variants_differ_in_timing_and_targets_and_the_same_seed_gives_the_same_pack()
    {
        var (pack, _) = ScenarioCompiler.Compile("two days with three spoofing attacks and a pump failure", 4, 11);
        Assert.Equal(4, pack.Scenarios.Count);
        Assert.All(pack.Scenarios, s => Assert.Equal(4, s.Events.Count));
        Assert.Equal(4, pack.Scenarios.Select(s => string.Join(";", s.Events.Select(e => $"{e.StartMs}:{string.Join(",", e.Targets)}"))).Distinct().Count());
        Assert.Equal(pack.ToJsonBytes(), ScenarioCompiler.Compile("two days with three spoofing attacks and a pump failure", 4, 11).Pack.ToJsonBytes());
        Assert.NotEqual(pack.ToJsonBytes(), ScenarioCompiler.Compile("two days with three spoofing attacks and a pump failure", 4, 12).Pack.ToJsonBytes());
        // A pack reads back as simulate reads scenarios.
        Assert.Equal(pack.ToJsonBytes(), ScenarioPack.Parse(System.Text.Encoding.UTF8.GetString(pack.ToJsonBytes())).ToJsonBytes());
    }

    [Theory]
    [InlineData("", 1, "description: describe the scenario")]
    [InlineData("a day", 0, "variants must be between 1 and 100")]
    [InlineData("a day", 1_000_000, "variants must be between 1 and 100")]
    public void Bad_requests_are_refused(string description, int variants, string message) =>
        Assert.Contains(message, Assert.Throws<ContractException>(() => ScenarioCompiler.Compile(description, variants, 1)).Message);

    [Fact]
    public void A_huge_description_is_refused() =>
        Assert.Contains("at most 2000 characters", Assert.Throws<ContractException>(() => ScenarioCompiler.Compile(new string('a', 2001), 1, 1)).Message);
}
