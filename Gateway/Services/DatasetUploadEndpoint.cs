using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using RadMah.Gateway.Errors;
using RadMah.Gateway.Security;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway.Services;

/// <summary>
/// POST /v1/datasets?name=…[&amp;format=…]: the request body is the file, streamed (any length up to
/// the plan's limit: the route declares no body limit, so the gateway's small one for JSON calls does not apply).
/// </summary>
public static class DatasetUploadEndpoint
{
    public const string Path = "/v1/datasets";

    public static IEndpointRouteBuilder MapDatasetUpload(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, DatasetUploads uploads) =>
        {
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
        }).RequireAuthorization().WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
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
        ["created_at"] = ApiTimestamps.Format(record.CreatedAt),
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
