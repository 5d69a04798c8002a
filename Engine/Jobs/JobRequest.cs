namespace RadMah.Engine.Jobs;

/// <summary>
/// A job as a caller asks for it, before its kind has looked at it: the generic fields of the API
/// (rows, description, seed, dataset) and the kind's own parameters. The kind decides which it takes.
/// </summary>
public sealed record JobRequest(string Kind, long Rows, string Description, long Seed, IReadOnlyDictionary<string, string> Params, string? DatasetId)
{
    /// <summary>Checks what holds for every kind: the seed is one a contract can carry, and the text is printable.</summary>
    public void Validate()
    {
        Contracts.MockContract.ValidateSeed(Seed);
        Contracts.PlainText.Check(Description, "description");
        foreach (var (key, value) in Params)
        {
            Contracts.PlainText.Check(key, "params");
            Contracts.PlainText.Check(value, "params");
        }
    }
}
