using System.Text.Json.Nodes;

namespace RadMah.Engine.Contracts;

/// <summary>One column of a contract: its name, type, generator and the generator's parameters.</summary>
public sealed record ColumnSpec(string Name, ColumnType Type, string Generator, JsonObject Parameters)
{
    /// <summary>Decimal places of a <see cref="ColumnType.Decimal"/> column.</summary>
    public int Scale => Type == ColumnType.Decimal ? (int)GetNumber("scale") : 0;

    /// <summary>The share of rows left empty (null): parameter null_rate, 0 when absent.</summary>
    public double NullRate => Parameters.ContainsKey("null_rate") ? GetNumber("null_rate") : 0;

    /// <summary>Whether the column may hold nulls (Arrow: a nullable field).</summary>
    public bool Nullable => NullRate > 0;

    /// <summary>
    /// How a date or timestamp column is written in CSV: parameter format, in .NET custom date
    /// notation (dd/MM/yyyy, MMM d, yyyy…); ISO 8601 when absent.
    /// </summary>
    public string? DateFormat => Type is ColumnType.Date or ColumnType.Timestamp ? GetOptionalString("format") : null;

    /// <summary>Checks the parameters every column may take, whatever its generator.</summary>
    public void ValidateCommon()
    {
        if (Parameters.ContainsKey("null_rate") && NullRate is not (>= 0 and < 1))
            throw new ContractException($"Column '{Name}': null_rate must be at least 0 and below 1; got {NullRate}.");
        if (Parameters.ContainsKey("format"))
        {
            if (Type is not (ColumnType.Date or ColumnType.Timestamp))
                throw new ContractException($"Column '{Name}': only date and timestamp columns take a format.");
            var format = GetString("format");
            try
            {
                if (format.Length is 0 or > 64) throw new FormatException();
                _ = new DateTime(2024, 12, 31, 23, 59, 58, DateTimeKind.Utc).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new ContractException($"Column '{Name}': format '{format}' is not a date format (.NET custom notation, such as dd/MM/yyyy).");
            }
        }
    }

    public double GetNumber(string name) =>
        Parameters[name] is JsonValue v ? ValueAsDouble(v)
        : throw new ContractException($"Column '{Name}': number parameter '{name}' is missing.");

    public double GetNumber(string name, double fallback) => Parameters.ContainsKey(name) ? GetNumber(name) : fallback;

    public long GetInteger(string name)
    {
        var d = GetNumber(name);
        if (d != Math.Floor(d)) throw new ContractException($"Column '{Name}': parameter '{name}' must be a whole number.");
        return (long)d;
    }

    public string GetString(string name) =>
        Parameters[name] is JsonValue v ? ValueAsString(v)
        : throw new ContractException($"Column '{Name}': text parameter '{name}' is missing.");

    public string? GetOptionalString(string name) => Parameters.ContainsKey(name) ? GetString(name) : null;

    public IReadOnlyList<string> GetStrings(string name) =>
        Parameters[name] is JsonArray a
            ? a.Select((n, i) => n is JsonValue v ? ValueAsString(v) : throw new ContractException($"Column '{Name}': '{name}[{i}]' must be text.")).ToArray()
            : throw new ContractException($"Column '{Name}': list parameter '{name}' is missing.");

    public IReadOnlyList<double> GetNumbers(string name) =>
        Parameters[name] is JsonArray a
            ? a.Select((n, i) => n is JsonValue v ? ValueAsDouble(v) : throw new ContractException($"Column '{Name}': '{name}[{i}]' must be a number.")).ToArray()
            : throw new ContractException($"Column '{Name}': list parameter '{name}' is missing.");

    private string ValueAsString(JsonValue v) =>
        v.TryGetValue<string>(out var s) ? s
        : v.TryGetValue<System.Text.Json.JsonElement>(out var e) && e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString()!
        : throw new ContractException($"Column '{Name}': expected text.");

    private double ValueAsDouble(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : v.TryGetValue<System.Text.Json.JsonElement>(out var e) && e.ValueKind == System.Text.Json.JsonValueKind.Number ? e.GetDouble()
        : throw new ContractException($"Column '{Name}': expected a number.");
}
