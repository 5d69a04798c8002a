using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Features;
using RadMah.Gateway.Errors;
using RadMah.Gateway.Security;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway.Services;

/// <summary>
/// POST /v1/datasets?name=…[&amp;format=…]: the request body is the file, streamed (any length up to
/// the plan's limit; the gateway's small body limit for JSON calls does not apply here).
/// </summary>
public static class DatasetUploadEndpoint
{
    public const string Path = "/v1/datasets";

    /// <summary>The upload route: the one REST call whose body may be larger than the gateway's body limit.</summary>
    public static bool IsUpload(HttpContext context) => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(Path, StringComparison.Ordinal);

    public static IEndpointRouteBuilder MapDatasetUpload(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, DatasetUploads uploads) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            var query = context.Request.Query;
            try
            {
                var record = await uploads.UploadAsync(context.AccountId(), query["name"].FirstOrDefault(), query["format"].FirstOrDefault(),
                    ReadBody(context.Request.BodyReader, context.RequestAborted), context.RequestAborted);
                return Results.Text(ToJson(record).ToJsonString(), "application/json; charset=utf-8");
            }
            catch (UploadTooLargeException ex)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "RESOURCE_EXHAUSTED", ex.Message);
            }
            catch (RadMahException ex)
            {
                var (http, status) = ex.Code switch
                {
                    RadMahException.NotFound => (404, "NOT_FOUND"),
                    RadMahException.FailedPrecondition => (400, "FAILED_PRECONDITION"),
                    _ => (400, "INVALID_ARGUMENT"),
                };
                await ErrorResponses.WriteAsync(context, http, status, ex.Message, ErrorResponses.FieldViolation(ex.Field, ex.Message));
            }
            return Results.Empty;
        }).RequireAuthorization();
        return app;
    }

    /// <summary>The same fields and spelling as the Dataset message through JSON transcoding.</summary>
    public static System.Text.Json.Nodes.JsonObject ToJson(Grains.Interfaces.Datasets.DatasetRecord record) => new()
    {
        ["id"] = record.Id,
        ["name"] = record.Name,
        ["format"] = record.Format,
        ["content_hash"] = record.ContentHash,
        ["size_bytes"] = record.SizeBytes,
        ["artifact_id"] = record.ArtifactId,
        ["created_at"] = Engine.Contracts.UtcTimestamp.Format(record.CreatedAt),
    };

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadBody(PipeReader body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            try
            {
                foreach (var segment in result.Buffer) yield return segment;
            }
            finally
            {
                // Also when the upload is refused midway, so Kestrel can drain or drop the rest of the body.
                body.AdvanceTo(result.Buffer.End);
            }
            if (result.IsCompleted) break;
        }
    }
}
