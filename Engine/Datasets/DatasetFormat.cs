namespace RadMah.Engine.Datasets;

/// <summary>The upload formats the platform reads.</summary>
public enum DatasetFormat
{
    Csv,
    Tsv,
    Parquet,
    /// <summary>Arrow IPC, file ("ARROW1") or stream format.</summary>
    Arrow,
    /// <summary>JSON Lines: one JSON object per line.</summary>
    JsonLines,
    /// <summary>A JSON array of objects, one per row.</summary>
    Json,
    /// <summary>Weka's ARFF: an @relation/@attribute header, then rows (dense or sparse).</summary>
    Arff,
}

public static class DatasetFormatNames
{
    public static readonly IReadOnlyList<string> All = ["csv", "tsv", "parquet", "arrow", "jsonl", "json", "arff"];

    public static string ToWire(this DatasetFormat format) => format switch
    {
        DatasetFormat.Csv => "csv",
        DatasetFormat.Tsv => "tsv",
        DatasetFormat.Parquet => "parquet",
        DatasetFormat.Arrow => "arrow",
        DatasetFormat.JsonLines => "jsonl",
        DatasetFormat.Json => "json",
        DatasetFormat.Arff => "arff",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string? wire, out DatasetFormat format)
    {
        switch (wire?.Trim().ToLowerInvariant())
        {
            case "csv": format = DatasetFormat.Csv; return true;
            case "tsv": format = DatasetFormat.Tsv; return true;
            case "parquet": format = DatasetFormat.Parquet; return true;
            case "arrow" or "ipc" or "feather": format = DatasetFormat.Arrow; return true;
            case "jsonl" or "ndjson" or "jsonlines": format = DatasetFormat.JsonLines; return true;
            case "json": format = DatasetFormat.Json; return true;
            case "arff": format = DatasetFormat.Arff; return true;
            default: format = default; return false;
        }
    }

    public static string MediaType(this DatasetFormat format) => format switch
    {
        DatasetFormat.Csv => "text/csv",
        DatasetFormat.Tsv => "text/tab-separated-values",
        DatasetFormat.Parquet => "application/vnd.apache.parquet",
        DatasetFormat.Arrow => "application/vnd.apache.arrow.file",
        DatasetFormat.JsonLines => "application/jsonl",
        DatasetFormat.Json => "application/json",
        DatasetFormat.Arff => "text/x-arff",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
