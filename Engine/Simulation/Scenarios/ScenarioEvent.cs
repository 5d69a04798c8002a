namespace RadMah.Engine.Simulation.Scenarios;

/// <summary>What an event does. Attacks follow SWaT's attack taxonomy; faults are the plant's own failures.</summary>
public enum EventType
{
    /// <summary>The PLC and the historian receive a forged reading: constant, ramp, replay of an earlier window, or added noise.</summary>
    SensorSpoof,
    /// <summary>A denial of service on the link: the reading freezes at its last value before the event.</summary>
    StaleValues,
    /// <summary>An actuator is driven open, closed, on or off whatever the PLC commands.</summary>
    ActuatorForce,
    /// <summary>A PLC threshold (LL, L, H, HH) is changed.</summary>
    SetpointTamper,
    /// <summary>A stage's PLC program is changed: its control inverted, its outputs frozen, or its interlocks disabled.</summary>
    PlcLogic,
    /// <summary>Fault: the transmitter fails; it reads 0 with bad quality.</summary>
    SensorFailure,
    /// <summary>Fault: the pump stops and cannot run; the PLC hands over to the standby pump.</summary>
    PumpFailure,
    /// <summary>Fault: a tank loses water at a rate.</summary>
    Leak,
    /// <summary>Fault: a valve stays where it is.</summary>
    StuckValve,
}

/// <summary>
/// One attack or fault of a scenario: its id, type, targets (tags, a tank for a leak, a stage for
/// a PLC change), window (offsets from the scenario's start, in ms) and the type's own settings.
/// </summary>
public sealed record ScenarioEvent
{
    public required string Id { get; init; }
    public required EventType Type { get; init; }
    /// <summary>Tag names; for a leak, the tank (T101, T301, T401, T602); for a PLC change, the stage (P1 … P6).</summary>
    public required IReadOnlyList<string> Targets { get; init; }
    public required long StartMs { get; init; }
    public required long DurationMs { get; init; }
    /// <summary>spoof: constant, ramp, replay, noise; force: open, close, on, off; plc_logic: invert, freeze, disable_interlocks.</summary>
    public string? Mode { get; init; }
    /// <summary>spoof constant: the value; ramp: units per second; noise: standard deviation; leak: m³/h.</summary>
    public double? Value { get; init; }
    /// <summary>Replay: how long before the event the replayed window starts.</summary>
    public long? ReplayOffsetMs { get; init; }
    /// <summary>setpoint_tamper: the thresholds replaced (LL, L, H, HH).</summary>
    public IReadOnlyDictionary<string, double>? Thresholds { get; init; }

    public long EndMs => StartMs + DurationMs;

    public bool IsAttack => Type is not (EventType.SensorFailure or EventType.PumpFailure or EventType.Leak or EventType.StuckValve);

    public static string NameOf(EventType type) => type switch
    {
        EventType.SensorSpoof => "sensor_spoof",
        EventType.StaleValues => "stale_values",
        EventType.ActuatorForce => "actuator_force",
        EventType.SetpointTamper => "setpoint_tamper",
        EventType.PlcLogic => "plc_logic",
        EventType.SensorFailure => "sensor_failure",
        EventType.PumpFailure => "pump_failure",
        EventType.Leak => "leak",
        EventType.StuckValve => "stuck_valve",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static readonly IReadOnlyList<EventType> Types = Enum.GetValues<EventType>();
}
