namespace RadMah.Engine.Simulation.Process;

/// <summary>
/// A first-order instrument or process lag, τ·dy/dt = x − y, stepped by its exact discretisation
/// y ← x + (y − x)·e^(−dt/τ): for a step input the result is the analytic response at every step,
/// however long the step.
/// </summary>
public struct FirstOrderLag(double initial, double tauSeconds, double stepSeconds)
{
    private readonly double _decay = Math.Exp(-stepSeconds / tauSeconds);

    public double Value { get; private set; } = initial;

    public void Step(double input) => Value = input + (Value - input) * _decay;

    /// <summary>The analytic step response: where y stands t seconds after the input jumped to x from y0.</summary>
    public static double StepResponse(double y0, double x, double tauSeconds, double t) => x + (y0 - x) * Math.Exp(-t / tauSeconds);
}
