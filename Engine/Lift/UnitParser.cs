using System.Text.RegularExpressions;

namespace RadMah.Engine.Lift;

/// <summary>
/// The unit in a column or tag name, as exports write them: in brackets or parentheses at the end
/// ("Temperature (°C)", "FIT-101.PV [m3/h]") or as a known unit after the last underscore
/// ("temp_C", "power_kW", "flow_m3h"). Unknown suffixes are not units: "pump_A" stays a name.
/// </summary>
public static partial class UnitParser
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c"] = "°C", ["degc"] = "°C", ["°c"] = "°C", ["celsius"] = "°C", ["f"] = "°F", ["degf"] = "°F", ["°f"] = "°F", ["k"] = "K",
        ["bar"] = "bar", ["barg"] = "bar(g)", ["mbar"] = "mbar", ["psi"] = "psi", ["psig"] = "psi(g)", ["pa"] = "Pa", ["kpa"] = "kPa", ["mpa"] = "MPa",
        ["w"] = "W", ["kw"] = "kW", ["mw"] = "MW", ["kwh"] = "kWh", ["mwh"] = "MWh", ["v"] = "V", ["kv"] = "kV", ["a"] = "A", ["ma"] = "mA",
        ["hz"] = "Hz", ["rpm"] = "rpm", ["m3h"] = "m³/h", ["m3/h"] = "m³/h", ["lpm"] = "L/min", ["gpm"] = "gal/min", ["lps"] = "L/s",
        ["pct"] = "%", ["percent"] = "%", ["%"] = "%", ["mm"] = "mm", ["m"] = "m", ["cm"] = "cm", ["s"] = "s", ["ms"] = "ms",
        ["kg"] = "kg", ["t"] = "t", ["ppm"] = "ppm", ["ph"] = "pH", ["var"] = "var", ["kvar"] = "kvar", ["kva"] = "kVA", ["mps"] = "m/s",
    };

    /// <summary>Units that are also common words or letters of names; after an underscore they count only in lower case (temp_c) or as written here.</summary>
    private static readonly HashSet<string> Ambiguous = new(StringComparer.Ordinal) { "a", "A", "m", "s", "t", "v", "V", "k", "f", "c", "var" };

    public static (string Name, string? Unit) Parse(string name)
    {
        var trimmed = name.Trim();
        var bracket = Bracketed().Match(trimmed);
        if (bracket.Success)
        {
            var inner = bracket.Groups["unit"].Value.Trim();
            var unit = Known.TryGetValue(inner.Replace(" ", ""), out var normal) ? normal : inner;
            return (trimmed[..bracket.Index].TrimEnd(' ', '_', '-', '.'), unit.Length == 0 ? null : unit);
        }
        var underscore = trimmed.LastIndexOf('_');
        if (underscore > 0 && underscore < trimmed.Length - 1)
        {
            var suffix = trimmed[(underscore + 1)..];
            // Single letters like A or V are units only in a name that reads like a measurement (voltage_V, current_A).
            if (Known.TryGetValue(suffix, out var unit) && (!Ambiguous.Contains(suffix) || suffix.Length > 1 || char.IsUpper(suffix[0]) && trimmed[..underscore].Length > 3))
                return (trimmed[..underscore], unit);
        }
        return (trimmed, null);
    }

    [GeneratedRegex(@"[\[\(](?<unit>[^\[\]\(\)]{1,16})[\]\)]\s*$")]
    private static partial Regex Bracketed();
}
