using System.Text.Json.Nodes;

namespace RadMah.Sdk;

/// <summary>An error answered by the API: HTTP status code, status name (INVALID_ARGUMENT, …), message and google.rpc details.</summary>
public class RadMahApiException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details) : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;
    public string Status { get; } = status;
    public IReadOnlyList<JsonObject> Details { get; } = details;
}

/// <summary>The API key is missing, malformed, unknown or revoked (401).</summary>
public sealed class AuthenticationException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details)
    : RadMahApiException(httpStatus, status, message, details);

/// <summary>No such job or artifact for this account (404).</summary>
public sealed class NotFoundException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details)
    : RadMahApiException(httpStatus, status, message, details);

/// <summary>The request was refused as invalid; <see cref="FieldViolations"/> says which fields and why.</summary>
public sealed class ValidationException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details)
    : RadMahApiException(httpStatus, status, message, details)
{
    public IReadOnlyList<(string Field, string Description)> FieldViolations { get; } = details
        .SelectMany(d => d["fieldViolations"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Select(v => (v["field"]?.GetValue<string>() ?? "", v["description"]?.GetValue<string>() ?? ""))
        .ToArray();
}

/// <summary>The account's available credits do not cover the job's estimate.</summary>
public sealed class InsufficientCreditsException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details)
    : RadMahApiException(httpStatus, status, message, details);

/// <summary>The plan's rate limit was exceeded (429); try again after <see cref="RetryAfter"/>.</summary>
public sealed class RateLimitedException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details, TimeSpan retryAfter)
    : RadMahApiException(httpStatus, status, message, details)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>The request clashes with one made before (409): an idempotency key sent again with a different request.</summary>
public sealed class ConflictException(int httpStatus, string status, string message, IReadOnlyList<JsonObject> details)
    : RadMahApiException(httpStatus, status, message, details);
