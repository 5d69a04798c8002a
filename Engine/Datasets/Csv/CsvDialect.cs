namespace RadMah.Engine.Datasets.Csv;

/// <summary>How a delimited text file is written: its delimiter, quote character, encoding and whether its first record names the columns.</summary>
public sealed record CsvDialect(char Delimiter, char Quote, bool HasHeader, string EncodingName = "utf-8")
{
    public static string Describe(char delimiter) => delimiter switch
    {
        ',' => "comma",
        '\t' => "tab",
        ';' => "semicolon",
        '|' => "pipe",
        _ => $"'{delimiter}'",
    };
}
