namespace RadMah.Engine.Simulation.Process;

/// <summary>What a tag is on the plant: a measured value, or an actuator's reported state.</summary>
public enum TagKind
{
    /// <summary>An analogue transmitter (level, flow, analyser, pressure); noisy, quantized, sampled.</summary>
    Sensor,
    /// <summary>A motorised valve: SWaT's 0 = in travel, 1 = closed, 2 = open.</summary>
    Valve,
    /// <summary>A pump (or the UV lamp): SWaT's 1 = off, 2 = on.</summary>
    Pump,
}

/// <summary>
/// One column of the plant's historian: its SWaT name, stage, kind, unit and range, and how its
/// transmitter reads (decimals written, noise). Ranges are what the plant can physically show.
/// </summary>
public sealed record PlantTag(string Name, int Stage, TagKind Kind, string Unit, string Description, double Min, double Max, int Decimals, double Noise)
{
    public bool IsSensor => Kind == TagKind.Sensor;

    /// <summary>The stage's name as SWaT writes it: P1 … P6.</summary>
    public string StageName => "P" + Stage;
}
