using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Gateway.Errors;

/// <summary>
/// Errors written by the gateway itself (authentication, rate limits, bad routes). REST callers
/// get the HTTP status and {"error": {"code", "status", "message", "details"}}; gRPC callers get
/// a trailers-only response with the matching grpc-status.
/// </summary>
public static class ErrorResponses
{
    private static readonly Dictionary<string, int> GrpcCodes = new()
    {
        ["INVALID_ARGUMENT"] = 3, ["NOT_FOUND"] = 5, ["ALREADY_EXISTS"] = 6, ["FAILED_PRECONDITION"] = 9, ["RESOURCE_EXHAUSTED"] = 8,
        ["UNAUTHENTICATED"] = 16, ["PERMISSION_DENIED"] = 7, ["INTERNAL"] = 13, ["UNAVAILABLE"] = 14,
    };

    public static bool IsGrpc(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task WriteAsync(HttpContext context, int httpStatus, string status, string message, JsonArray? details = null)
    {
        if (context.Response.HasStarted) return;
        if (IsGrpc(context))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = GrpcCodes.GetValueOrDefault(status, 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(Envelope(httpStatus, status, message, details).ToJsonString());
    }

    /// <summary>A google.rpc.BadRequest detail naming the field, in the JSON form transcoding gives it; none without a field.</summary>
    public static JsonArray? FieldViolation(string? field, string message) => field is null ? null : new JsonArray(new JsonObject
    {
        ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
        ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = field, ["description"] = message }),
    });

    public static JsonObject Envelope(int httpStatus, string status, string message, JsonArray? details) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = httpStatus,
            ["status"] = status,
            ["message"] = message,
            ["details"] = details ?? [],
        },
    };

    /// <summary>The HTTP status a gRPC status code maps to (google.rpc.Code → HTTP, as Google APIs map them).</summary>
    public static (int Http, string Name) FromGrpc(int code) => code switch
    {
        1 => (499, "CANCELLED"),
        3 => (400, "INVALID_ARGUMENT"),
        4 => (504, "DEADLINE_EXCEEDED"),
        5 => (404, "NOT_FOUND"),
        6 => (409, "ALREADY_EXISTS"),
        7 => (403, "PERMISSION_DENIED"),
        8 => (429, "RESOURCE_EXHAUSTED"),
        9 => (400, "FAILED_PRECONDITION"),
        10 => (409, "ABORTED"),
        11 => (400, "OUT_OF_RANGE"),
        12 => (501, "UNIMPLEMENTED"),
        14 => (503, "UNAVAILABLE"),
        16 => (401, "UNAUTHENTICATED"),
        _ => (500, "INTERNAL"),
    };

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
