using Microsoft.Extensions.DependencyInjection;
using RadMah.Artifacts;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Tests;
using RadMah.Silo;
using RadMah.Silo.Tests;

namespace RadMah.Neural.Tests;

/// <summary>
/// Real silo processes on PostgreSQL: a neural training's silo is killed with SIGKILL mid-training,
/// and another gpu-tier silo goes on from the last checkpoint, not from epoch 0, ending with the model
/// an uninterrupted training of the same job gives.
/// </summary>
[Collection(LibTorchCollection.Name)]
public sealed class KilledSiloResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("radmah-resume-").FullName;
    private readonly string _clusterId = "resume-" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<NodeProcess> _processes = [];
    private readonly int _clusterPort = FreePorts.Next();

    public void Dispose()
    {
        foreach (var p in _processes) p.Dispose();
        if (Environment.GetEnvironmentVariable("RADMAH_KEEP_TEST_LOGS") != "1") Directory.Delete(_dir, recursive: true);
    }

    private static string Connection => Environment.GetEnvironmentVariable("RADMAH_TEST_PG")
        ?? throw new InvalidOperationException("RADMAH_TEST_PG is not set: run ./test.sh, which starts PostgreSQL.");

    /// <summary>The plugin as `dotnet build Neural` writes it (with its own deps.json), found from the repository root.</summary>
    private static string PluginDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RadMah.Orleans.sln")))
                return Path.Combine(dir.FullName, "Neural", "bin", "Release", "net10.0", "linux-x64");
        throw new DirectoryNotFoundException("the repository root (RadMah.Orleans.sln) is not above the test's directory.");
    }

    private NodeProcess StartSilo(string name, string tiers, int clusterPort, bool neural)
    {
        string[] args =
        [
            "--silo-only", "--storage", "postgres", "--pg", Connection, "--cluster-id", _clusterId, "--data", Path.Combine(_dir, "shared"),
            "--silo-port", FreePorts.Next().ToString(), "--cluster-port", clusterPort.ToString(), "--dashboard-port", FreePorts.Next().ToString(),
            "--queues", tiers, "--compute-slots", "1",
        ];
        var process = NodeProcess.Start("RadMah.Silo.dll", Path.Combine(_dir, $"{name}.log"), neural ? [.. args, "--neural-models", PluginDirectory()] : args);
        _processes.Add(process);
        return process;
    }

    /// <summary>Reads a job, asking again while the cluster has not yet declared a killed silo dead.</summary>
    private static async Task<JobView> GetAsync(IJobGrain job)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await job.GetAsync();
            }
            catch (Exception ex) when (ex is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, TestContext.Current.CancellationToken);
            }
        }
    }

    [Fact]
    public async Task A_training_whose_silo_is_killed_goes_on_from_its_last_checkpoint_on_another_gpu_silo_and_ends_with_the_uninterrupted_model()
    {
        var ct = TestContext.Current.CancellationToken;
        StartSilo("silo-cpu", "default,interactive,free", _clusterPort, neural: false);
        var victim = StartSilo("silo-gpu-1", "gpu", FreePorts.Next(), neural: true);
        using var client = await ClusterClients.ConnectAsync(_clusterPort, _clusterId, _processes);
        var grains = client.Services.GetRequiredService<IClusterClient>();

        var accountId = Ids.NewAccountId();
        await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountPlan.Pro, 1000m);
        var account = grains.GetGrain<IAccountJobsGrain>(accountId);
        var upload = await DatasetUploads.UploadAsync(grains, new LocalDiskArtifactStore(Path.Combine(_dir, "shared")), accountId, NeuralJobFlowTests.Csv(2_000), "plans.csv");

        var parameters = new Dictionary<string, string>
        {
            ["model"] = "tvae", ["epochs"] = "300", ["checkpoint_every"] = "20", ["batch_size"] = "250",
            ["compress_dims"] = "64,64", ["decompress_dims"] = "64,64", ["embedding_dim"] = "32",
        };
        var created = await account.CreateJobAsync(new JobSubmission("train", 0, "", 11, Params: parameters, DatasetId: upload.Id));
        var job = grains.GetGrain<IJobGrain>(created.Id);

        // Kill the training's silo once a checkpoint is behind it and most of the training ahead.
        var running = await job.WaitUntilAsync(v => v.Training is { Epoch: >= 45 }, TimeSpan.FromSeconds(120));
        Assert.True(running.Training!.Epoch < 200, $"the training was already at epoch {running.Training.Epoch}: too far for the kill to interrupt it");
        victim.Crash();
        var killedAt = (await GetAsync(job)).Training?.Epoch ?? running.Training.Epoch;
        StartSilo("silo-gpu-2", "gpu", FreePorts.Next(), neural: true);

        // The next attempt's first reported epoch comes after a checkpoint (20, 40, …), not after 0.
        var resumed = new List<int>();
        var deadline = DateTime.UtcNow.AddMinutes(4);
        JobView view;
        while (true)
        {
            view = await GetAsync(job);
            if (view.Status.IsTerminal()) break;
            if (view.Attempts >= 2 && view.Training is { } t && (resumed.Count == 0 || resumed[^1] != t.Epoch)) resumed.Add(t.Epoch);
            Assert.True(DateTime.UtcNow < deadline, $"job still {view.Status.ToWire()} (attempts {view.Attempts}, epoch {view.Training?.Epoch})");
            // Once the new attempt runs, wait for each change rather than sampling: a small model's
            // epochs are shorter than a sampling pause, and the first one after the checkpoint must be seen.
            if (view.Attempts >= 2) await job.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(1));
            else await Task.Delay(100, ct);
        }
        Assert.True(view.Status == JobStatus.Succeeded, view.Error);
        Assert.True(view.Attempts >= 2, $"{view.Attempts} attempt(s)");
        Assert.NotEmpty(resumed);
        Assert.True(resumed[0] > 20 && resumed[0] <= killedAt + 1, $"after the kill at epoch {killedAt} the training went on from epoch {resumed[0]}");

        // The same job run uninterrupted (a rerun of its sealed contract) writes the same model.
        var model = (await job.GetArtifactsAsync()).Single(a => a.ArtifactType == "model.json");
        var rerun = await account.RerunJobAsync(created.Id);
        var again = await grains.GetGrain<IJobGrain>(rerun.Id).WaitTerminalAsync(TimeSpan.FromMinutes(4));
        Assert.True(again.Status == JobStatus.Succeeded, again.Error);
        Assert.Equal(1, again.Attempts);
        var uninterrupted = (await grains.GetGrain<IJobGrain>(rerun.Id).GetArtifactsAsync()).Single(a => a.ArtifactType == "model.json");
        Assert.Equal(uninterrupted.ContentHash, model.ContentHash);
        Assert.Empty(Directory.Exists(Path.Combine(_dir, "shared", "checkpoints")) ? Directory.GetFiles(Path.Combine(_dir, "shared", "checkpoints")) : []);
    }
}
