using System.Security.Cryptography;

namespace RadMah.Sdk.Tests;

/// <summary>The product page's whole flow, written with the C# SDK against a real gateway on loopback.</summary>
public class SeedFlowTests(NodeFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-sdk-").FullName;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Create_wait_get_list_dataframe_download_artifacts_rerun_estimate()
    {
        using var client = await fixture.NewClientAsync();
        var job = await client.Jobs.CreateAsync(rows: 100_000, description: "customer transaction records", cancellationToken: Ct);
        Assert.Equal("mock", job.Kind);
        await job.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("succeeded", job.Status);
        Assert.Equal(0.1, job.CreditsCharged);

        var fetched = await client.Jobs.GetAsync(job.Id, Ct);
        Assert.Equal(job.ContractDigest, fetched.ContractDigest);
        var jobs = await client.Jobs.ListAsync(limit: 10, Ct);
        Assert.Equal(job.Id, jobs[0].Id);

        var frame = await job.ToDataFrameAsync(Ct);
        Assert.Equal(100_000, frame.Rows.Count);
        Assert.Equal(10, frame.Columns.Count);
        Assert.Equal("transaction_id", frame.Columns[0].Name);

        var output = Path.Combine(_dir, "output.csv");
        await job.DownloadAsync(output, Ct);
        var artifacts = await client.Artifacts.ListAsync(job.Id, Ct);
        var csv = artifacts.Single(a => a.ArtifactType == "dataset.csv");
        Assert.Equal(csv.ContentHash, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(output, Ct))));

        var artifactPath = Path.Combine(_dir, "artifact.bin");
        await client.Artifacts.DownloadAsync(artifacts[0].Id, artifactPath, Ct);
        Assert.Equal(artifacts[0].SizeBytes, new FileInfo(artifactPath).Length);

        var rerun = await client.Jobs.RerunAsync(job.Id, Ct);
        await rerun.WaitAsync(pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal(job.Id, rerun.RerunOf);
        // Same outputs, byte for byte; the evidence bundle is the rerun's own (its id and times).
        var rerunArtifacts = await rerun.ArtifactsAsync(Ct);
        Assert.Equal(artifacts.Where(a => a.ArtifactType != "evidence.dsse.json").Select(a => a.ContentHash),
            rerunArtifacts.Where(a => a.ArtifactType != "evidence.dsse.json").Select(a => a.ContentHash));
        Assert.Equal(4, rerunArtifacts.Count);

        var estimate = await client.EstimateAsync(1_000_000, "synthesize", Ct);
        Assert.Equal(new CreditEstimate(1, "GPU-S"), estimate);
        var account = await client.GetAccountAsync(Ct);
        Assert.Equal(99.8, account.Balance, 6);
    }

    [Fact]
    public async Task Cancel_and_wait_with_timeout()
    {
        using var client = await fixture.NewClientAsync(credits: 1000m);
        var job = await client.Jobs.CreateAsync(rows: 300_000_000, description: "orders", seed: 5, cancellationToken: Ct);
        await Assert.ThrowsAsync<TimeoutException>(() => job.WaitAsync(timeout: TimeSpan.FromMilliseconds(300), pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct));
        var canceled = await client.Jobs.CancelAsync(job.Id, Ct);
        Assert.Equal("canceled", canceled.Status);
        await job.WaitAsync(timeout: TimeSpan.FromSeconds(5), pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: Ct);
        Assert.Equal("canceled", job.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => job.DownloadAsync(Path.Combine(_dir, "x.csv"), Ct));
    }

    [Fact]
    public async Task Errors_map_to_typed_exceptions()
    {
        using var client = await fixture.NewClientAsync(credits: 0.01m);
        var validation = await Assert.ThrowsAsync<ValidationException>(() => client.Jobs.CreateAsync(rows: 0, description: "orders", cancellationToken: Ct));
        Assert.Equal("rows", validation.FieldViolations.Single().Field);
        await Assert.ThrowsAsync<ValidationException>(() => client.Jobs.CreateAsync(rows: 10, description: "orders", kind: "train", cancellationToken: Ct));
        await Assert.ThrowsAsync<InsufficientCreditsException>(() => client.Jobs.CreateAsync(rows: 100_000, description: "orders", cancellationToken: Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => client.Jobs.GetAsync("job_aaaaaaaaaaaaaaaaaaaa", Ct));

        using var stranger = new RadMahClient(apiKey: "sl_live_not-a-real-key", baseUrl: fixture.Node.RestBase.ToString());
        await Assert.ThrowsAsync<AuthenticationException>(() => stranger.Jobs.ListAsync(cancellationToken: Ct));
        // Rate limits: RetryAndWatchTests.
    }

    [Fact]
    public void The_key_and_base_url_come_from_the_environment_when_not_given()
    {
        var previousKey = Environment.GetEnvironmentVariable(RadMahClient.ApiKeyVariable);
        try
        {
            Environment.SetEnvironmentVariable(RadMahClient.ApiKeyVariable, null);
            Assert.Throws<ArgumentException>(() => new RadMahClient());
            Environment.SetEnvironmentVariable(RadMahClient.ApiKeyVariable, "sl_live_from_env");
            using var client = new RadMahClient(baseUrl: "http://localhost:1");
            Assert.Throws<ArgumentException>(() => new RadMahClient(baseUrl: "ftp://nope"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(RadMahClient.ApiKeyVariable, previousKey);
        }
    }
}
