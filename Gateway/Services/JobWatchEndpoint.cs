using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RadMah.Gateway.Errors;
using RadMah.Gateway.Security;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;

namespace RadMah.Gateway.Services;

/// <summary>
/// GET /v1/jobs/{job_id}:watch: WatchJob for REST callers, as server-sent events. The job's state
/// comes at once, then every change, each as an event "job" whose data is the job exactly as
/// GET /v1/jobs/{job_id} returns it and whose id is its version; the stream ends after a terminal
/// state. A comment line every 15 s keeps proxies and clients' read timeouts from closing a quiet
/// stream. A fault once streaming has begun ends the stream with an event "error" (the error
/// envelope): the caller reads the job again, or polls.
/// </summary>
public static class JobWatchEndpoint
{
    public const string Route = "/v1/jobs/{job_id}:watch";

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static IEndpointRouteBuilder MapJobWatch(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string job_id, HttpContext context, CallerJobs callerJobs, GatewayOptions options, ILoggerFactory loggers) =>
        {
            if (context.Request.Query.Count > 0)
            {
                var name = context.Request.Query.Keys.First();
                await ErrorResponses.WriteAsync(context, 400, "INVALID_ARGUMENT", $"unknown query parameter '{name}'; this route takes none.", ErrorResponses.FieldViolation(name, "unknown query parameter"));
                return;
            }
            IJobGrain job;
            JobView view;
            try
            {
                // Until the stream starts, the call has the deadline of any other: past it, 503 and retry.
                (job, view) = await callerJobs.OwnedJobAsync(context.AccountId(), job_id).WaitAsync(CallDeadline.Remaining(context, options), context.RequestAborted);
            }
            catch (RadMahException ex) when (ex.Code is RadMahException.NotFound or RadMahException.InvalidArgument)
            {
                var (http, status) = ex.Code == RadMahException.NotFound ? (404, "NOT_FOUND") : (400, "INVALID_ARGUMENT");
                await ErrorResponses.WriteAsync(context, http, status, ex.Message, http == 400 ? ErrorResponses.FieldViolation(ex.Field, ex.Message) : null);
                return;
            }
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            // nginx and similar proxies otherwise hold events back until their buffer fills.
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var aborted = context.RequestAborted;
            try
            {
                await WriteAsync(context, $"retry: 2000\n\n{Event(view)}", aborted);
                while (!view.Status.IsTerminal())
                {
                    var next = await job.WaitForChangeAsync(view.Version, Heartbeat);
                    if (next.Version == view.Version)
                    {
                        await WriteAsync(context, ": still " + view.Status.ToString().ToLowerInvariant() + "\n\n", aborted);
                        continue;
                    }
                    view = next;
                    await WriteAsync(context, Event(view), aborted);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The caller went away.
            }
            catch (Exception ex)
            {
                loggers.CreateLogger(typeof(JobWatchEndpoint)).LogWarning("Watch of {JobId} ended early: {Error}", job_id, ex.GetBaseException().Message);
                var (http, status, message) = Unavailable.Applies(ex) ? (503, "UNAVAILABLE", Unavailable.Message) : (500, "INTERNAL", "internal error; see the gateway log.");
                await WriteAsync(context, $"event: error\ndata: {ErrorResponses.Envelope(http, status, message, null).ToJsonString()}\n\n", CancellationToken.None);
            }
        }).RequireAuthorization();
        return app;
    }

    private static string Event(JobView view) => $"event: job\nid: {view.Version}\ndata: {RestJson(view.ToProto())}\n\n";

    private static async Task WriteAsync(HttpContext context, string text, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The message as JSON transcoding writes it (default values included, 64-bit integers as
    /// numbers), so an event's data reads exactly like the unary answer.
    /// </summary>
    public static string RestJson(IMessage message)
    {
        var json = JsonNode.Parse(Formatter.Format(message))!.AsObject();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsRepeated || field.FieldType is not (FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64)) continue;
            if (json[field.JsonName] is JsonValue value && value.TryGetValue<string>(out var text))
                json[field.JsonName] = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        return json.ToJsonString();
    }
}
