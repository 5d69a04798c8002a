namespace RadMah.Engine.Output;

/// <summary>How a dataset is written. Output bytes never depend on these settings.</summary>
public sealed record DatasetWriteOptions
{
    /// <summary>Worker threads generating and encoding chunks.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called from the writing loop with the number of rows written so far.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>Key/value pairs stored in the Arrow file's schema metadata.</summary>
    public IReadOnlyDictionary<string, string>? ArrowMetadata { get; init; }
}
