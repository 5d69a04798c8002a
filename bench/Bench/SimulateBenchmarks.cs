using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.OdeSolvers;
using RadMah.Engine.Simulation;
using RadMah.Engine.Simulation.Process;
using RadMah.Engine.Simulation.Scenarios;

namespace RadMah.Bench;

/// <summary>
/// The physics hot loop, one simulated hour (18,000 steps of 0.2 s): the four tanks' level equations
/// A·dh/dt = Q_in − Q_out(h) with the pump curve, stepped by the hand-written fixed-step integrator
/// the plant uses, and by MathNet.Numerics' fourth-order Runge–Kutta over the same steps; and the
/// whole plant (every flow, analyser and the membrane) for scale.
/// Run: dotnet run -c Release --project bench/Bench -- --filter '*SimulateBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class SimulateBenchmarks
{
    private const int Steps = 18_000;
    private const double Dt = 0.2 / 3600;
    private static readonly double[] Supply = [2.5, 2.45, 2.23, 1.72];

    private static double Pump(double rated, double level) =>
        rated * Math.Sqrt((SwatConstants.PumpHeadMargin + level) / (SwatConstants.PumpHeadMargin + SwatConstants.PumpReferenceLevel));

    /// <summary>Levels (m) of T101, T301, T401, T602: each tank fed by the pump of the one before.</summary>
    private static void Derivative(ReadOnlySpan<double> h, Span<double> dh)
    {
        var q1 = Pump(Supply[1], h[0]);
        var q3 = Pump(Supply[2], h[1]);
        var q4 = Pump(Supply[3], h[2]);
        dh[0] = (Supply[0] - q1) / SwatConstants.TankArea;
        dh[1] = (q1 - q3) / SwatConstants.TankArea;
        dh[2] = (q3 - q4) / SwatConstants.TankArea;
        dh[3] = (q4 * SwatConstants.RoRecovery - 1.2) / SwatConstants.TankArea;
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenFixedStep()
    {
        Span<double> h = [0.6, 0.9, 0.9, 0.6];
        Span<double> dh = stackalloc double[4];
        for (var i = 0; i < Steps; i++)
        {
            Derivative(h, dh);
            for (var k = 0; k < 4; k++) h[k] += Dt * dh[k];
        }
        return h[0] + h[1] + h[2] + h[3];
    }

    [Benchmark]
    public double MathNetRungeKutta4()
    {
        var h = Vector<double>.Build.DenseOfArray([0.6, 0.9, 0.9, 0.6]);
        var dh = new double[4];
        Vector<double> F(double t, Vector<double> y)
        {
            Derivative(y.AsArray(), dh);
            return Vector<double>.Build.DenseOfArray((double[])dh.Clone());
        }
        for (var i = 0; i < Steps; i++) h = RungeKutta.FourthOrder(h, 0, Dt, 2, F)[1];
        return h.Sum();
    }

    [Benchmark]
    public double WholePlantStep()
    {
        var plant = new Plant(Scenario.DefaultInitialLevels);
        plant.ValveOpen[SwatTags.MV101] = plant.ValveOpen[SwatTags.MV201] = plant.ValveOpen[SwatTags.MV302] = true;
        plant.PumpOn[SwatTags.P101] = plant.PumpOn[SwatTags.P302] = plant.PumpOn[SwatTags.P402] = plant.PumpOn[SwatTags.P501] = true;
        for (var i = 0; i < Steps; i++) plant.Step();
        return plant.LevelMm(Plant.T101);
    }
}
