using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RadMah.Artifacts;
using RadMah.Gateway.Security;
using RadMah.Gateway.V1;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Pricing;

namespace RadMah.Gateway.Services;

/// <summary>The Jobs API. Orchestration lives in the grains; this only maps requests and checks ownership.</summary>
[Authorize]
public sealed class JobsService(IGrainFactory grains, CallerJobs callerJobs, IArtifactStore artifactStore) : Jobs.JobsBase
{
    private const int DownloadChunkBytes = 64 * 1024;

    public override async Task<EstimateResponse> Estimate(EstimateRequest request, ServerCallContext context)
    {
        _ = context.AccountId();
        var estimate = await grains.GetGrain<IPricingGrain>(0).EstimateAsync(request.Rows, request.Kind);
        return new EstimateResponse { EstimatedCredits = (double)estimate.EstimatedCredits, TrainingTier = estimate.TrainingTier ?? "" };
    }

    public override async Task<Job> CreateJob(CreateJobRequest request, ServerCallContext context)
    {
        var jobs = grains.GetGrain<IAccountJobsGrain>(context.AccountId());
        var view = await jobs.CreateJobAsync(new JobSubmission(request.Kind, request.Rows, request.Description, request.HasSeed ? request.Seed : null, request.Interactive,
            request.Params.Count > 0 ? new Dictionary<string, string>(request.Params) : null, string.IsNullOrEmpty(request.DatasetId) ? null : request.DatasetId),
            IdempotencyKeyOf(context));
        return view.ToProto();
    }

    /// <summary>The Idempotency-Key header (REST) or idempotency-key metadata (gRPC: the same HTTP/2 header), checked; null when absent.</summary>
    private static string? IdempotencyKeyOf(ServerCallContext context)
    {
        var values = context.GetHttpContext().Request.Headers[IdempotencyKeys.Header];
        if (values.Count == 0) return null;
        if (values.Count > 1)
            throw new RadMahException(RadMahException.InvalidArgument, $"send one {IdempotencyKeys.Header}, not {values.Count}.", IdempotencyKeys.Header);
        IdempotencyKeys.Validate(values[0] ?? "");
        return values[0];
    }

    public override async Task<Job> GetJob(GetJobRequest request, ServerCallContext context) =>
        (await callerJobs.OwnedJobAsync(context.AccountId(), request.JobId)).View.ToProto();

    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        var limit = request.Limit == 0 ? 10 : request.Limit;
        var page = await grains.GetGrain<IAccountJobsGrain>(context.AccountId()).ListJobsAsync(limit, string.IsNullOrEmpty(request.PageToken) ? null : request.PageToken);
        var response = new ListJobsResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Jobs.AddRange(page.Jobs.Select(j => j.ToProto()));
        return response;
    }

    public override async Task<Job> CancelJob(CancelJobRequest request, ServerCallContext context) =>
        (await (await callerJobs.OwnedJobAsync(context.AccountId(), request.JobId)).Grain.CancelAsync()).ToProto();

    public override async Task<Job> RerunJob(RerunJobRequest request, ServerCallContext context)
    {
        var accountId = context.AccountId();
        await callerJobs.OwnedJobAsync(accountId, request.JobId);
        return (await grains.GetGrain<IAccountJobsGrain>(accountId).RerunJobAsync(request.JobId)).ToProto();
    }

    public override async Task<ListArtifactsResponse> ListArtifacts(ListArtifactsRequest request, ServerCallContext context)
    {
        var (job, _) = await callerJobs.OwnedJobAsync(context.AccountId(), request.JobId);
        var response = new ListArtifactsResponse();
        response.Artifacts.AddRange((await job.GetArtifactsAsync()).Select(a => a.ToProto()));
        return response;
    }

    public override async Task WatchJob(WatchJobRequest request, IServerStreamWriter<Job> responseStream, ServerCallContext context)
    {
        var (job, view) = await callerJobs.OwnedJobAsync(context.AccountId(), request.JobId);
        await responseStream.WriteAsync(view.ToProto(), context.CancellationToken);
        while (!view.Status.IsTerminal())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var next = await job.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(15));
            if (next.Version == view.Version) continue;
            view = next;
            await responseStream.WriteAsync(view.ToProto(), context.CancellationToken);
        }
    }

    public override async Task DownloadArtifact(DownloadArtifactRequest request, IServerStreamWriter<ArtifactChunk> responseStream, ServerCallContext context)
    {
        var record = await callerJobs.OwnedArtifactAsync(context.AccountId(), request.ArtifactId);
        await using var stream = artifactStore.OpenRead(record.ContentHash);
        var buffer = new byte[DownloadChunkBytes];
        var first = true;
        int read;
        while ((read = await stream.ReadAsync(buffer, context.CancellationToken)) > 0 || first)
        {
            var chunk = new ArtifactChunk { Data = Google.Protobuf.ByteString.CopyFrom(buffer, 0, read) };
            if (first) chunk.Artifact = record.ToProto();
            first = false;
            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
    }
}
