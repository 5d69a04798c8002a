namespace RadMah.Engine.Datasets;

/// <summary>
/// A file that cannot be read as the dataset it claims to be. The message names where the first
/// problem is: for text formats the line and column, for Parquet and Arrow the part that failed.
/// </summary>
public sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static DatasetException At(long line, int column, string columnName, string problem) =>
        new($"line {line}, column {column} ({Quote(columnName)}): {problem}");

    public static DatasetException AtLine(long line, string problem) => new($"line {line}: {problem}");

    public static DatasetException InPart(string part, string problem, Exception? inner = null) => new($"{part}: {problem}", inner);

    private static string Quote(string name) => "\"" + name + "\"";
}
