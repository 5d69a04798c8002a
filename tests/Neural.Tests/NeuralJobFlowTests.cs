using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.TestingHost;
using RadMah.Artifacts;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Artifacts;
using RadMah.Grains.Interfaces.Datasets;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Storage;
using RadMah.Grains.Tests;

namespace RadMah.Neural.Tests;

/// <summary>
/// tvae and ctgan as jobs: training waits for a silo of the gpu tier, reports its epochs, writes a
/// model whose rows a synthesize job writes with their reports; reruns give the same bytes; cancel stops a training.
/// </summary>
[Collection(LibTorchCollection.Name)]
public sealed class NeuralJobFlowTests : IAsyncDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-neural-").FullName;
    private readonly ConcurrentDictionary<string, string[]> _tiersByName = new();
    private InProcessTestCluster? _cluster;

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>A cluster whose first silo serves every tier but gpu; silos added later serve gpu only.</summary>
    private async Task<InProcessTestCluster> StartAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var data = _data;
        builder.ConfigureSilo((options, silo) =>
        {
            var tiers = _tiersByName.GetOrAdd(options.SiloName, _ => _tiersByName.IsEmpty ? [QueueTiers.Default, QueueTiers.Interactive, QueueTiers.Free] : [QueueTiers.Gpu]);
            silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddModelFamily<TvaeFamily>();
            silo.AddModelFamily<CtganFamily>();
            silo.AddRadMahGrains(o =>
            {
                o.DataDirectory = data;
                o.WorkParallelism = 1;
                o.Slots = QueueTiers.All.ToDictionary(t => t, t => tiers.Contains(t) ? 1 : 0);
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        return _cluster;
    }

    public static string Csv(int rows)
    {
        var table = NeuralModelTests.Table(rows);
        var csv = new StringBuilder("plan,region,amount,score\n");
        for (var r = 0; r < rows; r++)
        {
            var score = ((Engine.Synthesis.Tables.NumericColumn)table[3]).Values[r];
            csv.Append(CultureInfo.InvariantCulture, $"{((Engine.Synthesis.Tables.CategoricalColumn)table[0]).ValueAt(r)},{((Engine.Synthesis.Tables.CategoricalColumn)table[1]).ValueAt(r)},");
            csv.Append(CultureInfo.InvariantCulture, $"{((Engine.Synthesis.Tables.NumericColumn)table[2]).Values[r]:0.00},{(double.IsNaN(score) ? "" : score.ToString(CultureInfo.InvariantCulture))}\n");
        }
        return csv.ToString();
    }

    private Task<DatasetRecord> UploadAsync(IAccountJobsGrain account, string text) =>
        DatasetUploads.UploadAsync(_cluster!.Client, new LocalDiskArtifactStore(_data), account.GetPrimaryKeyString(), text, "plans.csv");

    private async Task<string> ReadAsync(ArtifactRecord artifact)
    {
        await using var stream = new LocalDiskArtifactStore(_data).OpenRead(artifact.ContentHash);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    private static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Follows a job to its end, keeping every training progress it showed while running.</summary>
    private static async Task<(JobView Done, List<JobTraining> Seen)> FollowAsync(IJobGrain job, TimeSpan timeout)
    {
        var seen = new List<JobTraining>();
        var deadline = DateTime.UtcNow + timeout;
        var view = await job.GetAsync();
        while (!view.Status.IsTerminal())
        {
            Assert.True(DateTime.UtcNow < deadline, $"job {view.Id} still {view.Status.ToWire()}");
            if (view.Training is { } t && (seen.Count == 0 || seen[^1].Epoch != t.Epoch)) seen.Add(t);
            view = await job.WaitForChangeAsync(view.Version, TimeSpan.FromSeconds(2));
        }
        return (view, seen);
    }

    [Fact]
    public async Task A_tvae_training_waits_for_a_gpu_silo_shows_its_epochs_and_its_model_samples_rows_with_reports_and_reruns_give_the_same_bytes()
    {
        var cluster = await StartAsync();
        var account = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 100m);
        var upload = await UploadAsync(account, Csv(400));
        var tvae = Params(("model", "tvae"), ("epochs", "40"), ("batch_size", "100"), ("compress_dims", "32,32"), ("decompress_dims", "32,32"), ("embedding_dim", "16"));
        var created = await account.CreateJobAsync(new JobSubmission("train", 0, "", 4, Params: tvae, DatasetId: upload.Id));
        Assert.Equal(QueueTiers.Gpu, created.Tier);
        var train = cluster.Client.GetGrain<IJobGrain>(created.Id);

        // No silo serves the gpu tier yet: the training waits, queued.
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(JobStatus.Queued, (await train.GetAsync()).Status);
        var gpu = await cluster.StartAdditionalSiloAsync();

        var (trained, seen) = await FollowAsync(train, TimeSpan.FromSeconds(120));
        Assert.True(trained.Status == JobStatus.Succeeded, trained.Error);
        Assert.Equal(gpu.SiloAddress.ToParsableString(), trained.Worker);
        Assert.NotEmpty(seen);
        Assert.All(seen, t => Assert.Equal(40, t.Epochs));
        Assert.Equal(["kl", "reconstruction"], seen[^1].Losses.Keys.Order());
        Assert.Equal(400, trained.RowsDone);
        var artifacts = await train.GetArtifactsAsync();
        Assert.Equal(["model.json", "training-report.json", "training-report.html", "evidence.dsse.json"], artifacts.Select(a => a.ArtifactType));
        var model = JsonNode.Parse(await ReadAsync(artifacts[0]))!;
        Assert.Equal("tvae", model["family"]!.GetValue<string>());
        Assert.Equal("40", model["hyperparameters"]!["epochs"]!.GetValue<string>());
        var report = JsonNode.Parse(await ReadAsync(artifacts[1]))!;
        Assert.Equal(40, report["loss_curves"]!["reconstruction"]!.AsArray().Count);
        Assert.Contains("Loss per epoch", await ReadAsync(artifacts[2]));

        var synthCreated = await account.CreateJobAsync(new JobSubmission("synthesize", 3_000, "", 8, Params: Params(("model_job_id", created.Id))));
        Assert.Equal(QueueTiers.Gpu, synthCreated.Tier);
        var synth = cluster.Client.GetGrain<IJobGrain>(synthCreated.Id);
        var synthesized = await synth.WaitTerminalAsync(TimeSpan.FromSeconds(120));
        Assert.True(synthesized.Status == JobStatus.Succeeded, synthesized.Error);
        var rows = await synth.GetArtifactsAsync();
        Assert.Equal(["dataset.csv", "dataset.arrow", "quality-report.json", "quality-report.html", "privacy-report.json", "evidence.dsse.json"], rows.Select(a => a.ArtifactType));
        var csv = (await ReadAsync(rows[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3_001, csv.Length);
        Assert.Equal("plan,region,amount,score", csv[0]);
        Assert.All(csv.Skip(1), line => Assert.Matches(@"^(pro|basic),(north|south),\d+\.\d\d,(\d+)?$", line));
        var quality = JsonNode.Parse(await ReadAsync(rows[2]))!;
        Assert.True(quality["column_shapes"]!.GetValue<double>() >= 0.7, quality.ToJsonString());
        // The report names the model and says, against independent sampling, how it did.
        Assert.Equal("tvae", quality["model"]!.GetValue<string>());
        Assert.NotNull(quality["assessment"]!["above_baseline"]);
        Assert.Contains("Assessment", await ReadAsync(rows[3]));
        Assert.Contains("tvae model", await ReadAsync(rows[3]));

        foreach (var (original, outputs) in new[] { (trained, artifacts), (synthesized, rows) })
        {
            var rerun = await account.RerunJobAsync(original.Id);
            var job = cluster.Client.GetGrain<IJobGrain>(rerun.Id);
            var done = await job.WaitTerminalAsync(TimeSpan.FromSeconds(120));
            Assert.True(done.Status == JobStatus.Succeeded, done.Error);
            Assert.Equal(outputs.Outputs().Select(a => a.ContentHash), (await job.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));
        }
    }

    [Fact]
    public async Task A_ctgan_model_trains_and_samples_and_a_long_ctgan_training_stops_within_a_second_of_its_cancel()
    {
        var cluster = await StartAsync();
        await cluster.StartAdditionalSiloAsync();
        var account = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 100m);
        var upload = await UploadAsync(account, Csv(300));
        var ctgan = Params(("model", "ctgan"), ("epochs", "3"), ("batch_size", "100"), ("generator_dim", "32,32"), ("discriminator_dim", "32,32"), ("embedding_dim", "16"));
        var synthCreated = await account.CreateJobAsync(new JobSubmission("synthesize", 1_000, "", 2, Params: ctgan, DatasetId: upload.Id));
        var synth = cluster.Client.GetGrain<IJobGrain>(synthCreated.Id);
        var (done, seen) = await FollowAsync(synth, TimeSpan.FromSeconds(120));
        Assert.True(done.Status == JobStatus.Succeeded, done.Error);
        Assert.Equal(1_000, done.RowsDone);
        var csv = (await ReadAsync((await synth.GetArtifactsAsync())[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1_001, csv.Length);

        var long_ = Params(("model", "ctgan"), ("epochs", "10000"), ("batch_size", "100"), ("generator_dim", "32,32"), ("discriminator_dim", "32,32"));
        var created = await account.CreateJobAsync(new JobSubmission("train", 0, "", 3, Params: long_, DatasetId: upload.Id));
        var train = cluster.Client.GetGrain<IJobGrain>(created.Id);
        await train.WaitUntilAsync(v => v.Training is { Epoch: >= 1 }, TimeSpan.FromSeconds(60));
        var asked = DateTime.UtcNow;
        await train.CancelAsync();
        var ended = await train.WaitTerminalAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(JobStatus.Canceled, ended.Status);
        // The runner frees its slot when the work has stopped: that is when the training ended.
        var queue = cluster.Client.GetGrain<IJobQueueGrain>(QueueTiers.Gpu);
        while ((await queue.GetDepthAsync()).Running > 0)
        {
            Assert.True(DateTime.UtcNow - asked < TimeSpan.FromSeconds(1), "the training still held its slot a second after the cancel");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
