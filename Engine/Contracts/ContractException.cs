namespace RadMah.Engine.Contracts;

/// <summary>
/// A contract or job request that cannot be honoured, with a message meant for the user and the
/// request field at fault. <see cref="Fault"/> says whether the request was malformed, named
/// something that does not exist, or named something in the wrong state.
/// </summary>
public class ContractException(string message, string? field = null, ContractFault fault = ContractFault.Invalid) : Exception(message)
{
    /// <summary>The request field at fault: the one given, else the field the message starts with ("rows: …", "seed must …").</summary>
    public string? Field { get; } = field ?? FieldOf(message);

    public ContractFault Fault { get; } = fault;

    private static readonly string[] RequestFields = ["rows", "seed", "description", "params", "dataset_id", "kind"];

    private static string? FieldOf(string message) =>
        RequestFields.FirstOrDefault(f => message.StartsWith(f, StringComparison.Ordinal))
        ?? (message.Contains("kind", StringComparison.Ordinal) ? "kind" : null);
}

/// <summary>Why a request was refused; the platform maps it to invalid_argument, not_found or failed_precondition.</summary>
public enum ContractFault
{
    Invalid,
    NotFound,
    FailedPrecondition,
}
