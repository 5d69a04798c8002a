using Microsoft.Net.Http.Headers;
using RadMah.Artifacts;
using RadMah.Gateway.Errors;
using RadMah.Gateway.Security;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway.Services;

/// <summary>
/// GET /v1/artifacts/{artifact_id}/content: the artifact's bytes, streamed from the store with
/// Range support. The digest travels in X-Content-SHA256 (sha256:hex), in Repr-Digest (RFC 9530)
/// and as the strong ETag, so a client can check what it wrote.
/// </summary>
public static class ArtifactContentEndpoint
{
    public const string DigestHeader = "X-Content-SHA256";

    public static IEndpointRouteBuilder MapArtifactContent(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/artifacts/{artifact_id}/content", async (string artifact_id, HttpContext context, CallerJobs callerJobs, IArtifactStore store) =>
        {
            Grains.Interfaces.Artifacts.ArtifactRecord record;
            try
            {
                record = await callerJobs.OwnedArtifactAsync(context.AccountId(), artifact_id);
            }
            catch (RadMahException ex)
            {
                var (http, status) = ex.Code == RadMahException.NotFound ? (404, "NOT_FOUND") : (400, "INVALID_ARGUMENT");
                await ErrorResponses.WriteAsync(context, http, status, ex.Message);
                return Results.Empty;
            }
            var hex = record.ContentHash["sha256:".Length..];
            context.Response.Headers[DigestHeader] = record.ContentHash;
            context.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(hex))}:";
            var stream = store.OpenRead(record.ContentHash);
            return Results.Stream(stream, record.MediaType, record.Name, entityTag: new EntityTagHeaderValue($"\"{record.ContentHash}\""), enableRangeProcessing: true);
        }).RequireAuthorization();
        return app;
    }
}
