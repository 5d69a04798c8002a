using Google.Protobuf;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Health.V1;
using RadMah.Gateway.V1;

namespace RadMah.Gateway.Tests;

public class GrpcApiTests(NodeFixture node)
{
    [Fact]
    public async Task Create_watch_to_the_end_and_download_in_chunks()
    {
        var (_, key) = await node.NewAccountAsync();
        var (jobs, _, channel) = node.Grpc(key);
        using var _c = channel;
        var job = await jobs.CreateJobAsync(new CreateJobRequest { Rows = 70_000, Description = "patients", Seed = 9 });
        Assert.Equal("queued", job.Status);

        var seen = new List<string>();
        using (var watch = jobs.WatchJob(new WatchJobRequest { JobId = job.Id }))
            await foreach (var update in watch.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
                if (seen.Count == 0 || seen[^1] != update.Status) seen.Add(update.Status);
        Assert.Equal("succeeded", seen[^1]);
        Assert.Equal(seen.Distinct(), seen);

        var artifacts = await jobs.ListArtifactsAsync(new ListArtifactsRequest { JobId = job.Id });
        var csv = artifacts.Artifacts.Single(a => a.ArtifactType == "dataset.csv");
        using var download = jobs.DownloadArtifact(new DownloadArtifactRequest { ArtifactId = csv.Id });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = 0;
        long total = 0;
        await foreach (var chunk in download.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            if (chunks++ == 0) Assert.Equal(csv.Id, chunk.Artifact.Id);
            hash.AppendData(chunk.Data.Span);
            total += chunk.Data.Length;
        }
        Assert.True(chunks > 1);
        Assert.Equal(csv.SizeBytes, total);
        Assert.Equal(csv.ContentHash, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    [Fact]
    public async Task Calls_without_a_key_are_unauthenticated()
    {
        var (jobs, accounts, channel) = node.Grpc(null);
        using var _c = channel;
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => jobs.ListJobsAsync(new ListJobsRequest()).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => accounts.GetAccountAsync(new GetAccountRequest()).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task A_request_with_a_field_the_API_does_not_define_is_refused_and_creates_nothing()
    {
        var (_, key) = await node.NewAccountAsync();
        var (jobs, _, channel) = node.Grpc(key);
        using var _c = channel;
        // A client built from a newer or mistyped schema: field 99 travels as an unknown field.
        var bytes = new CreateJobRequest { Rows = 10, Description = "orders" }.ToByteArray().Concat(new byte[] { 0x98, 0x06, 0x07 }).ToArray();
        var request = CreateJobRequest.Parser.ParseFrom(bytes);
        var ex = await Assert.ThrowsAsync<RpcException>(() => jobs.CreateJobAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("field number 99", ex.Status.Detail);
        Assert.Empty((await jobs.ListJobsAsync(new ListJobsRequest { Limit = 10 })).Jobs);
    }

    [Fact]
    public async Task Validation_errors_carry_field_violations()
    {
        var (_, key) = await node.NewAccountAsync();
        var (jobs, _, channel) = node.Grpc(key);
        using var _c = channel;
        var ex = await Assert.ThrowsAsync<RpcException>(() => jobs.CreateJobAsync(new CreateJobRequest { Rows = 0, Description = "orders" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status.GetDetail<Google.Rpc.BadRequest>();
        Assert.Equal("rows", badRequest.FieldViolations.Single().Field);

        var notFound = await Assert.ThrowsAsync<RpcException>(() => jobs.GetJobAsync(new GetJobRequest { JobId = "job_aaaaaaaaaaaaaaaaaaaa" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task Health_and_reflection_answer_without_a_key()
    {
        var (_, _, channel) = node.Grpc(null);
        using var _c = channel;
        var health = new Health.HealthClient(channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("radmah.v1.Jobs", services);
        Assert.Contains("radmah.v1.Accounts", services);
    }
}
