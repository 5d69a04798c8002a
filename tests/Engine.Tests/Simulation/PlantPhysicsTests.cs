using RadMah.Engine.Simulation;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;
using T = RadMah.Engine.Simulation.Process.SwatTags;

namespace RadMah.Engine.Tests.Simulation;

/// <summary>The plant model's fidelity checks: mass balance, the closed loop, analyser dynamics, and attacks acting through the physics.</summary>
public class PlantPhysicsTests
{
    [Fact]
    public void Over_a_day_every_tank_balances_its_inflow_outflow_and_volume_to_1e9_of_its_throughput()
    {
        var scenario = ScenarioReader.Read("""{"duration": "24h", "events": [{"id": "leak", "type": "leak", "targets": ["T301"], "start": "3h", "duration": "2h", "value": 0.4}]}""");
        var simulator = new PlantSimulator(scenario, 11);
        var initial = Enumerable.Range(0, 4).Select(simulator.Plant.Volume).ToArray();
        var block = new SampleBlock(4096);
        while (simulator.Next(block) > 0) { }
        for (var tank = 0; tank < 4; tank++)
        {
            var b = simulator.Plant.Balances[tank];
            var change = simulator.Plant.Volume(tank) - initial[tank];
            var residual = b.In - b.Out - b.Leak - b.Overflow - change;
            Assert.True(b.In > 1, $"{Scenario.Tanks[tank]} saw {b.In} m3 come in");
            Assert.True(Math.Abs(residual) <= 1e-9 * b.In, $"{Scenario.Tanks[tank]}: in {b.In}, out {b.Out}, leak {b.Leak}, overflow {b.Overflow}, change {change}, residual {residual}");
        }
        Assert.Equal(0.8, simulator.Plant.Balances[Plant.T301].Leak, 6);
    }

    [Fact]
    public void In_normal_operation_levels_stay_in_their_bands_and_actuators_switch_only_as_the_plc_logic_says()
    {
        var scenario = ScenarioReader.Normal("24h");
        var rows = SimulationRuns.Samples(new PlantSimulator(scenario, 3));
        double Value(int sample, int tag) => rows[sample][tag] / PlantSimulator.Scale[tag];
        var startUp = 1800;

        // A latch acts on the reading of the scan after the crossing, and the valve or pump then takes its travel or ramp:
        // the level overshoots by at most the fastest net flow over that delay, plus the transmitter's noise.
        double Overshoot(double netFlowM3h, double delaySeconds, double noise) => netFlowM3h * delaySeconds / 3600 / SwatConstants.TankArea * 1000 + 5 * noise;
        var t101 = Overshoot(SwatConstants.RawSupply, SwatConstants.ValveTravel + 1.4, 0.6);
        var t301 = Overshoot(SwatConstants.RawPumpFlow * 1.05, SwatConstants.ValveTravel + 1.4, 0.6);
        // T401 also goes without feed while the UF sequence is not filtering: at worst the flush on leaving standby at L,
        // then at once a backwash, its drain and the next flush.
        var cycle = 2 * SwatConstants.UfFlushSeconds + SwatConstants.UfBackwashSeconds + SwatConstants.UfDrainSeconds + SwatConstants.ValveTravel + 1.4;
        var t401 = Overshoot(SwatConstants.RoFeedPumpFlow * 1.1, cycle, 0.6);
        for (var s = startUp; s < rows.Count; s++)
        {
            Assert.InRange(Value(s, T.LIT101), 500 - t101, 800 + t101);
            Assert.InRange(Value(s, T.LIT301), 800 - t301, 1000 + t301);
            Assert.InRange(Value(s, T.LIT401), 800 - t401, 1000 + t401);
        }

        // MV101 starts to open (closed → in travel) only after LIT101 read below L, and to close only after it read above H.
        int opened = 0, closed = 0, started = 0, stopped = 0;
        for (var s = startUp; s < rows.Count; s++)
        {
            var before = rows[s - 1][T.MV101];
            var now = rows[s][T.MV101];
            if (before == 1 && now != 1) { opened++; Assert.True(Value(s - 1, T.LIT101) < 500 || Value(s, T.LIT101) < 500, $"MV101 opened at sample {s} with LIT101 at {Value(s - 1, T.LIT101)}"); }
            if (before == 2 && now != 2) { closed++; Assert.True(Value(s - 1, T.LIT101) > 800 || Value(s, T.LIT101) > 800, $"MV101 closed at sample {s} with LIT101 at {Value(s - 1, T.LIT101)}"); }
            // P101 starts only with MV201 open and LIT301 below L; it stops when LIT301 passes H or MV201 leaves open.
            if (rows[s - 1][T.P101] == 1 && rows[s][T.P101] == 2)
            {
                started++;
                Assert.True(rows[s][T.MV201] == 2 && (Value(s - 1, T.LIT301) < 800 || Value(s, T.LIT301) < 800), $"P101 started at sample {s}");
            }
            if (rows[s - 1][T.P101] == 2 && rows[s][T.P101] == 1)
            {
                stopped++;
                Assert.True(Value(s - 1, T.LIT301) > 1000 || Value(s, T.LIT301) > 1000 || rows[s][T.MV201] != 2 || Value(s, T.LIT101) < 250, $"P101 stopped at sample {s}");
            }
            // The standby pump is never needed in normal operation, and the UF is never fed while it is backwashed.
            Assert.Equal(1, rows[s][T.P102]);
            if (rows[s][T.P602] == 2) Assert.Equal(1, rows[s][T.P302]);
        }
        Assert.True(opened >= 5 && closed >= 5 && started >= 5 && stopped >= 5, $"MV101 opened {opened}, closed {closed}; P101 started {started}, stopped {stopped}");
    }

    [Fact]
    public void A_first_order_analyser_follows_the_analytic_step_response_within_1e6()
    {
        const double tau = SwatConstants.AnalyserTau, dt = SwatConstants.PhysicsStepMs / 1000.0;
        var lag = new FirstOrderLag(244.0, tau, dt);
        for (var step = 1; step <= 3000; step++)
        {
            lag.Step(266.0);
            Assert.True(Math.Abs(lag.Value - FirstOrderLag.StepResponse(244.0, 266.0, tau, step * dt)) < 1e-6, $"step {step}");
        }
    }

    [Fact]
    public void A_spoofed_high_level_shuts_the_inflow_and_the_raw_tank_drains_until_p101_runs_dry_when_the_physics_says()
    {
        // Stage 3 is kept busy so that P101 runs throughout: T301 starts low and takes hours to fill.
        var scenario = ScenarioReader.Read("""
            {"duration": "2h", "initial_levels_mm": {"T101": 700, "T301": 300},
             "events": [{"id": "A1", "type": "sensor_spoof", "targets": ["LIT101"], "start": "10m", "duration": "100m", "mode": "constant", "value": 1000}]}
            """);
        var simulator = new PlantSimulator(scenario, 9);
        double levelAtAttack = 0;
        var rows = SimulationRuns.Samples(simulator, (sim, sample) => { if (sample == 600) levelAtAttack = sim.Plant.LevelMm(Plant.T101) / 1000; });
        Assert.True(rows[599][T.P101] == 2 && rows[599][T.MV101] == 2, "before the attack MV101 is open and P101 runs");

        // By hand: MV101 closes over its travel time (inflow falls linearly); then A·dh/dt = −Q(h) with the pump curve
        // Q(h) = Q_r·√((H0 + h)/(H0 + h_ref)), which integrates to t = 2A·√(H0 + h_ref)/Q_r · (√(H0 + h1) − √H0).
        const double a = SwatConstants.TankArea, h0 = SwatConstants.PumpHeadMargin, href = SwatConstants.PumpReferenceLevel, qr = SwatConstants.RawPumpFlow;
        var closing = SwatConstants.ValveTravel;
        double Q(double h) => qr * Math.Sqrt((h0 + h) / (h0 + href));
        var h1 = levelAtAttack + (SwatConstants.RawSupply * closing / 2 - Q(levelAtAttack) * closing) / 3600 / a;
        var drainHours = 2 * a * Math.Sqrt(h0 + href) / qr * (Math.Sqrt(h0 + h1) - Math.Sqrt(h0));
        var predictedDry = 600 + closing + drainHours * 3600;

        var dry = Enumerable.Range(601, rows.Count - 601).First(s => rows[s][T.FIT201] / 1e4 < 1.0);
        Assert.InRange(dry, predictedDry - 3, predictedDry + 3);
        Assert.True(Enumerable.Range(dry, 60).All(s => rows[s][T.P101] == 2), "the PLC, seeing a full tank, keeps P101 running dry");
        Assert.True(simulator.Plant.DryRunSeconds[T.P101] > 60 * 60, $"P101 ran dry for {simulator.Plant.DryRunSeconds[T.P101]} s");
    }
}
