namespace RadMah.Grains.Interfaces.Submission;

/// <summary>
/// The Idempotency-Key of job creation (the convention Stripe made common): a client that could not
/// tell whether its create went through sends it again with the same key, and gets the same job
/// back instead of a second job and a second hold. Keys are scoped to the account and remembered
/// for <see cref="Lifetime"/>; the same key with a different request is refused as a conflict.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The REST header; gRPC callers send the same name, lower-case, as metadata.</summary>
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 255;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>Refuses a key that is empty, longer than <see cref="MaxLength"/>, or not visible ASCII (a UUID is a good key).</summary>
    public static void Validate(string key)
    {
        if (key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
            throw new RadMahException(RadMahException.InvalidArgument,
                $"the {Header} header must be 1 to {MaxLength} visible ASCII characters (a UUID is a good key).", Header);
    }
}
