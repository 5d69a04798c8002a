namespace RadMah.Engine.Jobs;

/// <summary>
/// A job as a caller asks for it, before its kind has looked at it: the generic fields of the API
/// (rows, description, seed, dataset) and the kind's own parameters. The kind decides which it takes.
/// </summary>
public sealed record JobRequest(string Kind, long Rows, string Description, long Seed, IReadOnlyDictionary<string, string> Params, string? DatasetId)
{
    /// <summary>Checks what holds for every kind: the seed is one a contract can carry.</summary>
    public void Validate() => Contracts.MockContract.ValidateSeed(Seed);
}
