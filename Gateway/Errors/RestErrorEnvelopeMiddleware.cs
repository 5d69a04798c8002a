using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Gateway.Errors;

/// <summary>
/// JSON transcoding writes failed calls as a bare google.rpc.Status ({"code": 3, "message", "details"}).
/// REST callers are promised {"error": {"code": HTTP status, "status", "message", "details"}}, so
/// error responses of REST calls are rewritten into that envelope. Successful responses pass
/// through untouched; artifact downloads and watch streams are never buffered. An exception that escapes everything
/// below (authentication included) is answered here too, REST and gRPC alike: a transient fault as
/// 503 with Retry-After, anything else as 500, never an empty body.
/// </summary>
public sealed class RestErrorEnvelopeMiddleware(RequestDelegate next, ILogger<RestErrorEnvelopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ErrorResponses.IsGrpc(context) || !context.Request.Path.StartsWithSegments("/v1") || IsStreamed(context.Request.Path.Value!))
        {
            await GuardedAsync(context);
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await GuardedAsync(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode >= 400 && TryRewrite(buffer.ToArray(), context.Response.StatusCode, out var rewritten))
        {
            context.Response.ContentLength = null;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(rewritten);
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original);
    }

    /// <summary>Artifact downloads and watch streams: written as they go, and they write their own errors.</summary>
    private static bool IsStreamed(string path) => path.EndsWith("/content", StringComparison.Ordinal) || path.EndsWith(":watch", StringComparison.Ordinal);

    private async Task GuardedAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel stopped reading a body that grew past its route's limit (413), or a malformed one.
            await ErrorResponses.WriteAsync(context, ex.StatusCode, "INVALID_ARGUMENT",
                ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the request body is over this route's limit." : ex.Message);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !(ex is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            if (Unavailable.Applies(ex))
            {
                logger.LogWarning("{Method} {Path} met a transient fault and was answered 503: {Error}", context.Request.Method, context.Request.Path, ex.GetBaseException().Message);
                Unavailable.AddRetryAfter(context);
                await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", Unavailable.Message);
                return;
            }
            logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, "INTERNAL", "internal error; see the gateway log.");
        }
    }

    private static bool TryRewrite(byte[] body, int httpStatus, out string rewritten)
    {
        rewritten = "";
        JsonObject? status;
        try
        {
            status = body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            status = null;
        }
        if (status is not null && status.ContainsKey("error")) return false; // already an envelope
        var code = status?["code"]?.GetValue<int>() ?? 0;
        var (_, name) = code != 0 ? ErrorResponses.FromGrpc(code) : (httpStatus, httpStatus switch
        {
            400 => "INVALID_ARGUMENT",
            404 => "NOT_FOUND",
            405 => "INVALID_ARGUMENT",
            413 => "INVALID_ARGUMENT",
            415 => "INVALID_ARGUMENT",
            _ => "INTERNAL",
        });
        var message = status?["message"]?.GetValue<string>() ?? (httpStatus == 404 ? "no such route." : "the request failed.");
        var details = status?["details"] as JsonArray;
        rewritten = ErrorResponses.Envelope(httpStatus, name, message, details?.DeepClone() as JsonArray).ToJsonString();
        return true;
    }
}
