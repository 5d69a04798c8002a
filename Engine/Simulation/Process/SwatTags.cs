namespace RadMah.Engine.Simulation.Process;

/// <summary>
/// The 51 sensors and actuators of SWaT, in the column order of its published data set
/// (SWaT_Dataset_Normal_v1), with their units and ranges from the testbed's technical description
/// (Goh et al. 2016; Mathur and Tippenhauer 2016). Their positions here are the tag indices the
/// simulator uses everywhere.
/// </summary>
public static class SwatTags
{
    public static readonly IReadOnlyList<PlantTag> All =
    [
        new("FIT101", 1, TagKind.Sensor, "m3/h", "raw water inflow to T101", 0, 3.0, 4, 0.004),
        new("LIT101", 1, TagKind.Sensor, "mm", "raw water tank T101 level", 0, 1300, 2, 0.6),
        new("MV101", 1, TagKind.Valve, "", "raw water inlet valve of T101", 0, 2, 0, 0),
        new("P101", 1, TagKind.Pump, "", "raw water pump to stage 2 (duty)", 1, 2, 0, 0),
        new("P102", 1, TagKind.Pump, "", "raw water pump to stage 2 (standby)", 1, 2, 0, 0),
        new("AIT201", 2, TagKind.Sensor, "uS/cm", "conductivity after NaCl dosing", 0, 500, 3, 0.25),
        new("AIT202", 2, TagKind.Sensor, "pH", "pH after HCl dosing", 0, 14, 4, 0.004),
        new("AIT203", 2, TagKind.Sensor, "mV", "ORP after NaOCl dosing", 0, 800, 3, 0.4),
        new("FIT201", 2, TagKind.Sensor, "m3/h", "flow to the UF feed tank T301", 0, 3.0, 4, 0.004),
        new("MV201", 2, TagKind.Valve, "", "valve to the UF feed tank T301", 0, 2, 0, 0),
        new("P201", 2, TagKind.Pump, "", "NaCl dosing pump (duty)", 1, 2, 0, 0),
        new("P202", 2, TagKind.Pump, "", "NaCl dosing pump (standby)", 1, 2, 0, 0),
        new("P203", 2, TagKind.Pump, "", "HCl dosing pump (duty)", 1, 2, 0, 0),
        new("P204", 2, TagKind.Pump, "", "HCl dosing pump (standby)", 1, 2, 0, 0),
        new("P205", 2, TagKind.Pump, "", "NaOCl dosing pump (duty)", 1, 2, 0, 0),
        new("P206", 2, TagKind.Pump, "", "NaOCl dosing pump (standby)", 1, 2, 0, 0),
        new("DPIT301", 3, TagKind.Sensor, "kPa", "UF membrane differential pressure", 0, 60, 4, 0.03),
        new("FIT301", 3, TagKind.Sensor, "m3/h", "UF feed flow", 0, 3.0, 4, 0.004),
        new("LIT301", 3, TagKind.Sensor, "mm", "UF feed tank T301 level", 0, 1300, 2, 0.6),
        new("MV301", 3, TagKind.Valve, "", "UF backwash inlet valve", 0, 2, 0, 0),
        new("MV302", 3, TagKind.Valve, "", "UF filtrate valve to T401", 0, 2, 0, 0),
        new("MV303", 3, TagKind.Valve, "", "UF backwash drain valve", 0, 2, 0, 0),
        new("MV304", 3, TagKind.Valve, "", "UF drain valve", 0, 2, 0, 0),
        new("P301", 3, TagKind.Pump, "", "UF feed pump (duty)", 1, 2, 0, 0),
        new("P302", 3, TagKind.Pump, "", "UF feed pump (standby)", 1, 2, 0, 0),
        new("AIT401", 4, TagKind.Sensor, "ppm", "RO feed hardness", 0, 300, 3, 0.1),
        new("AIT402", 4, TagKind.Sensor, "mV", "ORP after NaHSO3 dosing", 0, 800, 3, 0.4),
        new("FIT401", 4, TagKind.Sensor, "m3/h", "RO feed flow (dechlorinator)", 0, 3.0, 4, 0.004),
        new("LIT401", 4, TagKind.Sensor, "mm", "RO feed tank T401 level", 0, 1300, 2, 0.6),
        new("P401", 4, TagKind.Pump, "", "RO feed pump (duty)", 1, 2, 0, 0),
        new("P402", 4, TagKind.Pump, "", "RO feed pump (standby)", 1, 2, 0, 0),
        new("P403", 4, TagKind.Pump, "", "NaHSO3 dosing pump (duty)", 1, 2, 0, 0),
        new("P404", 4, TagKind.Pump, "", "NaHSO3 dosing pump (standby)", 1, 2, 0, 0),
        new("UV401", 4, TagKind.Pump, "", "UV dechlorinator", 1, 2, 0, 0),
        new("AIT501", 5, TagKind.Sensor, "pH", "RO feed pH", 0, 14, 4, 0.004),
        new("AIT502", 5, TagKind.Sensor, "mV", "RO feed ORP", 0, 800, 3, 0.4),
        new("AIT503", 5, TagKind.Sensor, "uS/cm", "RO feed conductivity", 0, 500, 3, 0.25),
        new("AIT504", 5, TagKind.Sensor, "uS/cm", "RO permeate conductivity", 0, 100, 4, 0.05),
        new("FIT501", 5, TagKind.Sensor, "m3/h", "RO membrane inlet flow", 0, 3.0, 4, 0.004),
        new("FIT502", 5, TagKind.Sensor, "m3/h", "RO permeate flow", 0, 3.0, 4, 0.004),
        new("FIT503", 5, TagKind.Sensor, "m3/h", "RO reject flow", 0, 3.0, 4, 0.004),
        new("FIT504", 5, TagKind.Sensor, "m3/h", "RO reject recirculation flow", 0, 3.0, 4, 0.004),
        new("P501", 5, TagKind.Pump, "", "RO high-pressure pump (duty)", 1, 2, 0, 0),
        new("P502", 5, TagKind.Pump, "", "RO high-pressure pump (standby)", 1, 2, 0, 0),
        new("PIT501", 5, TagKind.Sensor, "kPa", "RO feed pressure", 0, 400, 3, 0.3),
        new("PIT502", 5, TagKind.Sensor, "kPa", "RO permeate pressure", 0, 20, 4, 0.02),
        new("PIT503", 5, TagKind.Sensor, "kPa", "RO reject pressure", 0, 400, 3, 0.3),
        new("FIT601", 6, TagKind.Sensor, "m3/h", "UF backwash flow", 0, 3.0, 4, 0.004),
        new("P601", 6, TagKind.Pump, "", "RO permeate transfer pump (product)", 1, 2, 0, 0),
        new("P602", 6, TagKind.Pump, "", "UF backwash pump", 1, 2, 0, 0),
        new("P603", 6, TagKind.Pump, "", "spare pump (not in service on SWaT)", 1, 2, 0, 0),
    ];

    private static readonly Dictionary<string, int> ByName = All.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    public static int Count => All.Count;

    public static bool TryIndex(string name, out int index) => ByName.TryGetValue(name, out index);

    public static int Index(string name) => ByName[name];

    public const int FIT101 = 0, LIT101 = 1, MV101 = 2, P101 = 3, P102 = 4;
    public const int AIT201 = 5, AIT202 = 6, AIT203 = 7, FIT201 = 8, MV201 = 9, P201 = 10, P202 = 11, P203 = 12, P204 = 13, P205 = 14, P206 = 15;
    public const int DPIT301 = 16, FIT301 = 17, LIT301 = 18, MV301 = 19, MV302 = 20, MV303 = 21, MV304 = 22, P301 = 23, P302 = 24;
    public const int AIT401 = 25, AIT402 = 26, FIT401 = 27, LIT401 = 28, P401 = 29, P402 = 30, P403 = 31, P404 = 32, UV401 = 33;
    public const int AIT501 = 34, AIT502 = 35, AIT503 = 36, AIT504 = 37, FIT501 = 38, FIT502 = 39, FIT503 = 40, FIT504 = 41, P501 = 42, P502 = 43;
    public const int PIT501 = 44, PIT502 = 45, PIT503 = 46, FIT601 = 47, P601 = 48, P602 = 49, P603 = 50;
}
