using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Interfaces.Submission;

namespace RadMah.Grains.Tests;

/// <summary>train and synthesize through the account's grains: a model from an upload, rows from the model, reports sealed with them.</summary>
public class SynthesisFlowTests(ClusterFixture fixture)
{
    private readonly JobFlow _flow = new(fixture);

    /// <summary>
    /// Trips with dependence: distance drives fare, duration and how it is paid, a delay lowers the rating (with nulls), ids. Seeded noise, not a
    /// lattice of i: on a lattice every held-out row sits at least a step from the training rows, and the privacy report's
    /// baseline (how close unseen real rows come) says more about the lattice than about the model.
    /// </summary>
    private static string Trips(int rows)
    {
        var csv = new StringBuilder("trip_id,distance_km,fare,minutes,payment,rating,started\n");
        var key = SplitMix64.SeedKey(2024);
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var distance = 1 + 20 * rng.NextDouble();
            var fare = 3.5 + distance * 1.8 + 0.8 * Math.Abs(rng.NextGaussian());
            var delay = 9 * rng.NextDouble();
            var minutes = (int)(4 + distance * 2.2 + delay);
            // Short trips are paid in cash more often; a delayed trip is rated lower.
            var payment = rng.NextDouble() < (distance < 6 ? 0.6 : 0.1) ? "cash" : rng.NextDouble() < 0.7 ? "card" : "wallet";
            var stars = rng.NextDouble() < 0.2 ? 3 + (int)rng.NextBelow(3) : delay < 3 ? 5 : delay < 6 ? 4 : 3;
            var rating = rng.NextDouble() < 0.045 ? "" : stars.ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"T{i:D6},{distance:F2},{fare:F2},{minutes},{payment},{rating},2024-05-{1 + i % 30:D2} {i % 24:D2}:{i % 60:D2}:00\n");
        }
        return csv.ToString();
    }

    /// <summary>Beans as Weka writes a table: a nominal variety that shifts both measurements, a quoted note with missing values.</summary>
    private static string Beans(int rows)
    {
        var arff = new StringBuilder("% A table of our own, in ARFF.\n@relation beans\n@attribute variety {arcadia, borlotti, 'cannellini blanc'}\n" +
            "@attribute length_mm numeric\n@attribute width_mm real\n@attribute note string\n\n@data\n");
        var varieties = new[] { "arcadia", "borlotti", "'cannellini blanc'" };
        for (var i = 0; i < rows; i++)
        {
            var v = i % 3;
            var length = 10 + 4 * v + i * 37 % 20 / 10.0;
            var width = 5 + 1.5 * v + length * 0.2 + i * 13 % 10 / 20.0;
            arff.Append(CultureInfo.InvariantCulture, $"{varieties[v]},{length:F1},{width:F2},{(i % 9 == 0 ? "?" : $"'batch {i % 5}'")}\n");
        }
        return arff.ToString();
    }

    private static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task A_train_job_fits_a_model_on_the_gpu_tier_and_a_synthesize_job_samples_it_with_reports_sealed_with_the_rows()
    {
        var account = await fixture.NewAccountAsync();
        var upload = await _flow.UploadAsync(account, Trips(1_500), "trips.csv");
        var (train, trained) = await _flow.RunAsync(account, new JobSubmission("train", 0, "", 21, Params: Params(("model", "gaussian_copula")), DatasetId: upload.Id));
        Assert.Equal(["model.json", "training-report.json", "training-report.html", "evidence.dsse.json"], trained.Select(a => a.ArtifactType));
        Assert.Equal(QueueTiers.Gpu, train.Tier);
        Assert.Equal(5m, train.CreditsCharged);
        var model = JsonNode.Parse(await _flow.ReadAsync(trained[0]))!;
        Assert.Equal("radmah.model/1", model["format"]!.GetValue<string>());
        Assert.Equal(upload.ContentHash, model["training"]!["input"]!["content_hash"]!.GetValue<string>());
        Assert.Equal(1_500, model["training"]!["training_rows"]!.GetValue<int>() + model["training"]!["holdout_rows"]!.GetValue<int>());

        var (synth, rows) = await _flow.RunAsync(account, new JobSubmission("synthesize", 2_000, "", 5, Params: Params(("model_job_id", train.Id))));
        Assert.Equal(["dataset.csv", "dataset.arrow", "quality-report.json", "quality-report.html", "privacy-report.json", "evidence.dsse.json"],
            rows.Select(a => a.ArtifactType));
        Assert.Equal(QueueTiers.Default, synth.Tier);
        Assert.Equal(0.002m, synth.CreditsCharged);
        Assert.Equal(2_000, synth.RowsDone);
        var csv = await _flow.ReadAsync(rows[0]);
        Assert.Equal(2_001, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("trip_id,distance_km,fare,minutes,payment,rating,started\r\n", csv);
        var quality = JsonNode.Parse(await _flow.ReadAsync(rows[2]))!;
        Assert.True(quality["column_shapes"]!.GetValue<double>() >= 0.9, quality.ToJsonString());
        Assert.True(quality["column_pair_trends"]!.GetValue<double>() > quality["baseline"]!["column_pair_trends"]!.GetValue<double>() + 0.1, quality.ToJsonString());
        Assert.Contains(quality["constraints"]!.AsArray(), c => c!["rule"]!.GetValue<string>() == "distance_km ≤ fare");
        Assert.All(quality["constraints"]!.AsArray(), c => Assert.Equal(0, c!["violations"]!.GetValue<long>()));
        var privacy = JsonNode.Parse(await _flow.ReadAsync(rows[4]))!;
        Assert.True(privacy["verdict"]!.GetValue<string>() == "pass", privacy.ToJsonString());
        // The job measured how often its model copies training rows (revision 7): trips of two-decimal distances and fares
        // about never do (revision 12, fares tied to distances as tightly as in the table: 1 chance copy in the 20,000-row trial),
        // within what held-out rows allow, so the guard left every row as drawn.
        Assert.Equal(CopyGuard.TrialRows, privacy["copy_guard"]!["trial_rows"]!.GetValue<int>());
        Assert.True(privacy["copy_guard"]!["trial_copy_rate"]!.GetValue<double>() < 0.001, privacy.ToJsonString());
        Assert.Null(privacy["copy_guard"]!["keep_share"]);

        // The evidence names the reports as subjects next to the rows: the quality claim is signed with the data.
        var envelope = JsonNode.Parse(await _flow.ReadAsync(rows[^1]))!;
        var statement = JsonNode.Parse(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()))!;
        var subjects = statement["subject"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToArray();
        Assert.Contains("quality-report.json", subjects);
        Assert.Contains("privacy-report.json", subjects);

        // Reruns: the same contract and seed write the same bytes, for both kinds.
        foreach (var (original, artifacts) in new[] { (train, trained), (synth, rows) })
        {
            var rerun = await account.RerunJobAsync(original.Id);
            var job = fixture.Client.GetGrain<IJobGrain>(rerun.Id);
            Assert.Equal(JobStatus.Succeeded, (await job.WaitTerminalAsync()).Status);
            Assert.Equal(artifacts.Outputs().Select(a => a.ContentHash), (await job.GetArtifactsAsync()).Outputs().Select(a => a.ContentHash));
        }
    }

    [Fact]
    public async Task An_arff_upload_is_synthesized_in_one_job_into_rows_with_its_attributes_and_only_their_declared_values()
    {
        var account = await fixture.NewAccountAsync();
        var upload = await _flow.UploadAsync(account, Beans(450), "beans.arff");
        Assert.Equal("arff", upload.Format);
        var (_, artifacts) = await _flow.RunAsync(account, new JobSubmission("synthesize", 600, "", 8, DatasetId: upload.Id));
        var lines = (await _flow.ReadAsync(artifacts[0])).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("variety,length_mm,width_mm,note", lines[0]);
        Assert.Equal(601, lines.Length);
        Assert.Equal(["arcadia", "borlotti", "cannellini blanc"], lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(lines.Skip(1), l => l.EndsWith(','));
        var quality = JsonNode.Parse(await _flow.ReadAsync(artifacts[2]))!;
        Assert.True(quality["column_pair_trends"]!.GetValue<double>() > quality["baseline"]!["column_pair_trends"]!.GetValue<double>() + 0.1, quality.ToJsonString());
    }

    [Fact]
    public async Task A_synthesize_job_with_a_dataset_trains_and_samples_in_one_job_and_a_job_table_can_be_trained_on()
    {
        var account = await fixture.NewAccountAsync();
        var upload = await _flow.UploadAsync(account, Trips(800), "trips.csv");
        var (job, artifacts) = await _flow.RunAsync(account, new JobSubmission("synthesize", 1_000, "", 3, Params: Params(("holdout", "0.25")), DatasetId: upload.Id));
        Assert.Equal(QueueTiers.Gpu, job.Tier);
        Assert.Equal("dataset.csv", artifacts[0].ArtifactType);
        Assert.DoesNotContain(artifacts, a => a.ArtifactType == "model.json");

        var (_, trained) = await _flow.RunAsync(account, new JobSubmission("train", 0, "", 4, Params: Params(("job_id", job.Id))));
        var model = JsonNode.Parse(await _flow.ReadAsync(trained[0]))!;
        Assert.Equal(artifacts.Single(a => a.ArtifactType == "dataset.arrow").ContentHash, model["training"]!["input"]!["content_hash"]!.GetValue<string>());
        Assert.Equal(job.Id, model["training"]!["input"]!["source_job_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_table_a_model_cannot_learn_from_fails_the_job_with_the_reason_and_releases_its_hold()
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var tiny = await _flow.UploadAsync(account, "a,b\n1,x\n2,y\n", "tiny.csv");
        var created = await account.CreateJobAsync(new JobSubmission("train", 0, "", DatasetId: tiny.Id));
        var done = await fixture.Client.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("training needs at least 10", done.Error);
        Assert.Equal(new LedgerBalance(10m, 0m), await _flow.Ledger(account).GetBalanceAsync());
    }

    [Fact]
    public async Task A_neural_model_on_a_silo_without_the_neural_models_fails_with_where_it_can_run_and_releases_its_hold()
    {
        var account = await fixture.NewAccountAsync(credits: 10m);
        var upload = await _flow.UploadAsync(account, Trips(200), "trips.csv");
        var created = await account.CreateJobAsync(new JobSubmission("train", 0, "", Params: Params(("model", "tvae"), ("epochs", "2")), DatasetId: upload.Id));
        Assert.Equal(QueueTiers.Gpu, created.Tier);
        var done = await fixture.Client.GetGrain<IJobGrain>(created.Id).WaitTerminalAsync();
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("cannot run model 'tvae'", done.Error);
        Assert.Equal(new LedgerBalance(10m, 0m), await _flow.Ledger(account).GetBalanceAsync());
    }

    [Fact]
    public async Task Bad_train_and_synthesize_requests_are_refused_with_the_field_and_hold_nothing()
    {
        var account = await fixture.NewAccountAsync(credits: 20m);
        var other = await fixture.NewAccountAsync();
        var upload = await _flow.UploadAsync(account, Trips(60), "trips.csv");
        var theirs = await _flow.UploadAsync(other, Trips(60), "theirs.csv");
        var (mock, _) = await _flow.RunAsync(account, new JobSubmission("mock", 100, "orders", 1));
        var (theirTrain, _) = await _flow.RunAsync(other, new JobSubmission("train", 0, "", 1, DatasetId: theirs.Id));
        var balance = await _flow.Ledger(account).GetBalanceAsync();
        async Task RefusedAsync(JobSubmission submission, string code, string field, string text)
        {
            var ex = await Assert.ThrowsAsync<RadMahException>(() => account.CreateJobAsync(submission));
            Assert.Equal((code, field), (ex.Code, ex.Field));
            Assert.Contains(text, ex.Message);
        }
        await RefusedAsync(new("train", 0, ""), RadMahException.InvalidArgument, "dataset_id", "needs a table to train on");
        await RefusedAsync(new("train", 0, "", DatasetId: theirs.Id), RadMahException.NotFound, "dataset_id", "does not exist");
        await RefusedAsync(new("train", 100, "", DatasetId: upload.Id), RadMahException.InvalidArgument, "rows", "train jobs write a model, not rows");
        await RefusedAsync(new("train", 0, "", Params: Params(("model", "tvae"), ("epochs", "0")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "epochs must be a whole number from 1 to 10,000");
        await RefusedAsync(new("train", 0, "", Params: Params(("model", "ctgan"), ("epochs", "99999999")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "epochs must be a whole number");
        await RefusedAsync(new("train", 0, "", Params: Params(("epochs", "5")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "epochs does not apply to gaussian_copula");
        await RefusedAsync(new("train", 0, "", Params: Params(("model", "ctgan"), ("pac", "3")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "batch_size must be even and a multiple of pac (3)");
        await RefusedAsync(new("train", 0, "", Params: Params(("model", "tvae"), ("discriminator_dim", "64")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "discriminator_dim does not apply to tvae");
        await RefusedAsync(new("train", 0, "", Params: Params(("model", "tvae"), ("compress_dims", "128,x")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "compress_dims must be 1 to 8 layer sizes");
        await RefusedAsync(new("train", 0, "", Params: Params(("model", "gpt")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "must be one of gaussian_copula, tvae, ctgan");
        await RefusedAsync(new("train", 0, "", Params: Params(("holdout", "0.9")), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "holdout must be a share");
        await RefusedAsync(new("train", 0, "", Params: Params(("job_id", mock.Id)), DatasetId: upload.Id), RadMahException.InvalidArgument, "dataset_id", "trains on one table");
        await RefusedAsync(new("synthesize", 0, "", Params: Params(("model_job_id", mock.Id))), RadMahException.InvalidArgument, "rows", "synthesize needs the number of rows");
        await RefusedAsync(new("synthesize", 10, "", Params: Params(("model_job_id", mock.Id))), RadMahException.FailedPrecondition, "params", "is not a train job");
        await RefusedAsync(new("synthesize", 10, "", Params: Params(("model_job_id", theirTrain.Id))), RadMahException.NotFound, "params", "does not exist");
        await RefusedAsync(new("synthesize", 10, "", Params: Params(("model_job_id", "job_nope"))), RadMahException.InvalidArgument, "params", "is not a job id");
        await RefusedAsync(new("synthesize", 10, "", Params: Params(("model_job_id", mock.Id)), DatasetId: upload.Id), RadMahException.InvalidArgument, "params", "not both");
        await RefusedAsync(new("synthesize", 10, "", Params: Params(("model_job_id", mock.Id), ("holdout", "0.1"))), RadMahException.InvalidArgument, "params", "takes model_job_id only");
        await RefusedAsync(new("synthesize", 10, "a description", DatasetId: upload.Id), RadMahException.InvalidArgument, "description", "take no description");

        Assert.Equal([mock.Id], (await account.ListJobsAsync(10, null)).Jobs.Select(j => j.Id));
        Assert.Equal(balance, await _flow.Ledger(account).GetBalanceAsync());
    }
}
