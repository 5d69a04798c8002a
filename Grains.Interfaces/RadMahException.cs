namespace RadMah.Grains.Interfaces;

/// <summary>
/// An error meant for the caller, with a stable code the gateway maps to HTTP and gRPC statuses:
/// invalid_argument, not_found, failed_precondition, insufficient_credits, conflict (the request
/// clashes with one already made, such as an idempotency key reused for a different body),
/// unavailable (the cluster or its storage is briefly away: retry), internal.
/// <see cref="Field"/> names the request field at fault, when there is one.
/// </summary>
[GenerateSerializer]
public sealed class RadMahException : Exception
{
    public const string InvalidArgument = "invalid_argument";
    public const string NotFound = "not_found";
    public const string FailedPrecondition = "failed_precondition";
    public const string InsufficientCredits = "insufficient_credits";
    public const string Conflict = "conflict";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";

    public RadMahException(string code, string message, string? field = null) : base(message)
    {
        Code = code;
        Field = field;
    }

    [Id(0)] public string Code { get; }
    [Id(1)] public string? Field { get; }
}
