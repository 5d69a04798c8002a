using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class SensorReadingsDomain : IMockDomain
{
    public string Name => "sensor_readings";
    public IReadOnlyList<string> Keywords => ["sensor", "sensors", "reading", "readings", "telemetry", "iot", "measurement", "measurements", "meter", "meters", "device_readings"];
    public int Priority => 70;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("reading_id", "rdg_", 12),
        Col.ForeignKey("sensor_id", "sen_", Math.Min(context.Cardinality(500), 10_000), width: 6),
        Col.Categorical("site", ("plant_north", 30), ("plant_south", 25), ("warehouse_a", 20), ("warehouse_b", 15), ("office_hq", 10)),
        Col.Normal("temperature_c", 21.5, 3.2, -40, 85, scale: 2),
        Col.Normal("humidity_pct", 45, 10, 0, 100, scale: 1),
        Col.Normal("pressure_hpa", 1013.2, 8.0, 870, 1085, scale: 1),
        Col.Integer("battery_pct", 0, 100),
        Col.Categorical("status", ("ok", 96), ("warning", 3), ("fault", 1)),
        Col.Timestamp("recorded_at", context),
    ];
}
