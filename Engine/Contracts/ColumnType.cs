namespace RadMah.Engine.Contracts;

/// <summary>The logical type of a generated column, as it appears in CSV and in Arrow.</summary>
public enum ColumnType
{
    /// <summary>UTF-8 text. Arrow: utf8.</summary>
    String,
    /// <summary>Signed 64-bit integer. Arrow: int64.</summary>
    Int64,
    /// <summary>Fixed-point number with the column's <c>scale</c> decimals. Arrow: decimal128(18, scale).</summary>
    Decimal,
    /// <summary>UTC instant with second precision, CSV as yyyy-MM-ddTHH:mm:ssZ. Arrow: timestamp[s, UTC].</summary>
    Timestamp,
    /// <summary>Calendar date, CSV as yyyy-MM-dd. Arrow: date32.</summary>
    Date,
    /// <summary>CSV as true/false. Arrow: bool.</summary>
    Boolean,
}

public static class ColumnTypeNames
{
    public static string ToWire(this ColumnType type) => type switch
    {
        ColumnType.String => "string",
        ColumnType.Int64 => "int64",
        ColumnType.Decimal => "decimal",
        ColumnType.Timestamp => "timestamp",
        ColumnType.Date => "date",
        ColumnType.Boolean => "boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static ColumnType Parse(string wire) => wire switch
    {
        "string" => ColumnType.String,
        "int64" => ColumnType.Int64,
        "decimal" => ColumnType.Decimal,
        "timestamp" => ColumnType.Timestamp,
        "date" => ColumnType.Date,
        "boolean" => ColumnType.Boolean,
        _ => throw new ContractException($"Unknown column type '{wire}'."),
    };
}
