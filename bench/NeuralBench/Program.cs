using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;
using RadMah.Engine.Output;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;
using RadMah.Neural;

// Usage (from the repository root, under the dotnet that can load LibTorch):
//   R=$(deploy/torch-runtime.sh); "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll epochs [EPOCHS] [THREADS]
//   "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll sample [ROWS] [THREADS]
//   "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll quality tvae|ctgan [epochs=300 …] -- TABLE.csv[.gz] …
//   "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll forward [THREADS]
//   "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll memory [ROWS]
//   "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll repeat [RUNS] [THREADS] [EPOCHS]
//   "$R/dotnet" bench/NeuralBench/bin/Release/net10.0/linux-x64/RadMah.NeuralBench.dll resume-job TABLE.csv CHECKPOINT   (RADMAH_PROBE_THREADS=1|2)
var command = args.FirstOrDefault() ?? "epochs";
var culture = CultureInfo.InvariantCulture;
switch (command)
{
    case "epochs":
    {
        var epochs = args.Length > 1 ? int.Parse(args[1], culture) : 4;
        var threads = args.Length > 2 ? int.Parse(args[2], culture) : 1;
        await EpochsAsync(epochs, threads);
        break;
    }
    case "sample":
    {
        var rows = args.Length > 1 ? long.Parse(args[1], culture) : 1_000_000;
        var threads = args.Length > 2 ? int.Parse(args[2], culture) : 2;
        await SampleAsync(rows, threads);
        break;
    }
    case "quality":
    {
        // quality tvae|ctgan [key=value ...] -- TABLE.csv[.gz] ...
        var family = args[1] == "ctgan" ? (IModelFamily)new CtganFamily() : new TvaeFamily();
        var split = Array.IndexOf(args, "--");
        var hyperparameters = args[2..split].Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        TorchRuntime.UseThreads(2);
        await RadMah.Bench.SynthesisQuality.RunAsync(args[(split + 1)..], family, hyperparameters);
        break;
    }
    case "memory":
        await MemoryAsync(args.Length > 1 ? int.Parse(args[1], culture) : 1_000_000);
        break;
    case "forward":
        ForwardProfile.Run(args.Length > 1 ? int.Parse(args[1], culture) : 2);
        break;
    case "resume-job":
        await ResumeJobAsync(args[1], args[2]);
        break;
    case "repeat":
        Repeat(args.Length > 1 ? int.Parse(args[1], culture) : 10, args.Length > 2 ? int.Parse(args[2], culture) : 2, args.Length > 3 ? int.Parse(args[3], culture) : 60);
        break;
    default:
        Console.Error.WriteLine("usage: RadMah.NeuralBench epochs [EPOCHS] [THREADS] | sample [ROWS] [THREADS] | quality tvae|ctgan [k=v …] -- TABLES… | forward [THREADS] | repeat [RUNS] [THREADS] [EPOCHS] | resume-job TABLE.csv CHECKPOINT");
        return 2;
}
return 0;

// TorchSharp's and PyTorch's seconds per epoch, alternating, on one encoded matrix (SDV's defaults).
static async Task EpochsAsync(int epochs, int threads)
{
    var table = AdultLike.Table(32_561, seed: 1);
    var encoding = TabularEncoding.Fit(table, seed: 1);
    var rows = table[0].Length;
    var matrix = encoding.Encode(table, seed: 1);
    var directory = Directory.CreateTempSubdirectory("radmah-neural-bench-").FullName;
    try
    {
        var conditions = new ConditionSampler(encoding, table, logFrequency: true);
        using var tensor = TorchSharp.torch.tensor(matrix, [rows, encoding.Width]);
        await WriteLayoutAsync(directory, matrix, rows, encoding, conditions);
        Console.WriteLine($"matrix {rows:N0} × {encoding.Width} ({conditions.Columns} category columns, condition width {conditions.Width}); {epochs} epochs each, {threads} thread(s); seconds per epoch after the first");
        TorchRuntime.UseThreads(threads);
        for (var sitting = 1; sitting <= 2; sitting++)
        {
            var tvae = new List<double>();
            using (var model = new Tvae(encoding.Width, encoding.Spans, new TvaeOptions { Epochs = epochs }, seed: 1))
            {
                var clock = Stopwatch.StartNew();
                model.Train(tensor, 1, CancellationToken.None, (_, _, _) => { tvae.Add(clock.Elapsed.TotalSeconds); clock.Restart(); });
            }
            var ctgan = new List<double>();
            using (var model = new Ctgan(encoding.Width, encoding.Spans, conditions.Width, new CtganOptions { Epochs = epochs }, seed: 1))
            {
                var clock = Stopwatch.StartNew();
                model.Train(tensor, conditions, 1, CancellationToken.None, (_, _, _) => { ctgan.Add(clock.Elapsed.TotalSeconds); clock.Restart(); });
            }
            var python = Reference(directory, epochs, threads);
            Console.WriteLine($"sitting {sitting}: TVAE TorchSharp {Median(tvae):0.000} s, PyTorch {python.Tvae:0.000} s (ratio {Median(tvae) / python.Tvae:0.00}); " +
                $"CTGAN TorchSharp {Median(ctgan):0.000} s, PyTorch {python.Ctgan:0.000} s (ratio {Median(ctgan) / python.Ctgan:0.00})");
        }
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

// The same small TVAE trained again and again in one process: whether its weights and loss curve come
// out bit for bit the same each time (a rerun's model digest depends on it), and the first epoch where not.
static void Repeat(int runs, int threads, int epochs)
{
    var table = AdultLike.Table(2_000, seed: 3);
    var encoding = TabularEncoding.Fit(table, seed: 3);
    var matrix = encoding.Encode(table, seed: 3);
    using var tensor = TorchSharp.torch.tensor(matrix, [table[0].Length, encoding.Width]);
    TorchRuntime.UseThreads(threads);
    var options = new TvaeOptions { Epochs = epochs, BatchSize = 250, Compress = [64, 64], Decompress = [64, 64], Embedding = 32 };
    List<double>? first = null;
    string? firstDigest = null;
    var differing = 0;
    for (var run = 1; run <= runs; run++)
    {
        using var model = new Tvae(encoding.Width, encoding.Spans, options, seed: 11);
        var clock = Stopwatch.StartNew();
        model.Train(tensor, 11, CancellationToken.None);
        var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(NetworkState.Save(model.SamplingState())))[..16];
        var losses = model.ReconstructionLosses;
        first ??= [.. losses];
        firstDigest ??= digest;
        var diverged = Enumerable.Range(0, losses.Count).FirstOrDefault(e => BitConverter.DoubleToInt64Bits(losses[e]) != BitConverter.DoubleToInt64Bits(first[e]), -1);
        if (digest != firstDigest) differing++;
        Console.WriteLine($"run {run}: weights {digest}, {(diverged < 0 ? "same losses as run 1" : $"losses differ from run 1 from epoch {diverged + 1}")}, {clock.Elapsed.TotalSeconds:0.00} s");
    }
    Console.WriteLine($"{differing} of {runs} runs ended with other weights than run 1 ({threads} thread(s), {epochs} epochs)");

    // Interrupted after the checkpoint at 2/3 of the epochs, then resumed by a new network in the same process.
    var at = epochs * 2 / 3;
    for (var run = 1; run <= runs; run++)
    {
        byte[]? saved = null;
        using var stop = new CancellationTokenSource();
        using (var model = new Tvae(encoding.Width, encoding.Spans, options, seed: 11))
        {
            try
            {
                model.Train(tensor, 11, stop.Token, null, new TrainingCheckpoints(at, () => null, bytes => { saved = bytes; stop.Cancel(); }));
            }
            catch (OperationCanceledException)
            {
            }
        }
        using var resumed = new Tvae(encoding.Width, encoding.Spans, options, seed: 11);
        resumed.Train(tensor, 11, CancellationToken.None, null, new TrainingCheckpoints(at, () => saved, _ => { }));
        var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(NetworkState.Save(resumed.SamplingState())))[..16];
        var losses = resumed.ReconstructionLosses;
        var diverged = Enumerable.Range(0, losses.Count).FirstOrDefault(e => BitConverter.DoubleToInt64Bits(losses[e]) != BitConverter.DoubleToInt64Bits(first![e]), -1);
        Console.WriteLine($"resumed at {at}, run {run}: weights {digest}, {(diverged < 0 ? "same losses as run 1" : $"losses differ from run 1 from epoch {diverged + 1}")}");
    }
}

// As the killed-silo test's train job: TABLE trained by tvae (300 epochs, a checkpoint every 20), the first run stopped after
// the checkpoint at 40 (kept in CHECKPOINT); each later run (a new process) goes on from it, then trains uninterrupted, and compares.
// RADMAH_PROBE_THREADS: the parallelism the job is given (2 by default; a training runs on TorchRuntime.TrainingThreads whatever it is,
// since 6c1390d: before, it ran on as many); RADMAH_PROBE_GC=1: full collections every 2 ms
// while the resumed training runs (finalizers freeing LibTorch objects mid-training).
static async Task ResumeJobAsync(string tablePath, string checkpointPath)
{
    var bytes = await File.ReadAllBytesAsync(tablePath);
    Func<CancellationToken, Task<ITableReader>> open = ct => TableReaders.OpenAsync(new MemoryStream(bytes), DatasetFormat.Csv, "plans.csv", null, ct);
    var info = new DatasetInfo { Name = "plans.csv", ContentHash = "sha256:" + new string('0', 64), Format = "csv", SizeBytes = bytes.Length };
    var fitting = SynthesisRevision.Current.CopulaFitting;
    var (codecs, rows) = await SynthesisRun.CodecsAsync(open, info, 11, 2, fitting, null, CancellationToken.None);
    var (resolved, _) = ModelHyperparameters.Resolve(ModelHyperparameters.Tvae, new Dictionary<string, string>
    {
        ["epochs"] = "300", ["batch_size"] = "250", ["compress_dims"] = "64,64", ["decompress_dims"] = "64,64", ["embedding_dim"] = "32",
    });
    var source = new ModelTraining
    {
        ArtifactId = "art_x", Name = "plans.csv", Format = "csv", ContentHash = info.ContentHash, SizeBytes = bytes.Length, Seed = 11,
        HoldoutFraction = 0.2, MaxTrainingRows = 1_000_000, MaxHoldoutRows = 50_000, RowsRead = rows, TrainingRows = 0, HoldoutRows = 0, Sampled = false,
    };
    async Task<SynthesisModel> TrainAsync(TrainingCheckpoints checkpoints, CancellationToken cancellationToken) =>
        (await SynthesisRun.TrainAsync(open, codecs, rows, source, new TvaeFamily(),
            new ModelFitSettings { Seed = 11, Hyperparameters = resolved!, Parallelism = int.Parse(Environment.GetEnvironmentVariable("RADMAH_PROBE_THREADS") ?? "2", CultureInfo.InvariantCulture), CopulaFitting = fitting, Checkpoints = checkpoints }, cancellationToken)).Model;
    if (!File.Exists(checkpointPath))
    {
        using var stop = new CancellationTokenSource();
        var saves = 0;
        try
        {
            await TrainAsync(new TrainingCheckpoints(20, () => null, state => { if (++saves == 2) { File.WriteAllBytes(checkpointPath, state); stop.Cancel(); } }), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine($"checkpoint at epoch 40 saved to {checkpointPath}");
        return;
    }
    var saved = await File.ReadAllBytesAsync(checkpointPath);
    using var collecting = new CancellationTokenSource();
    var collector = Environment.GetEnvironmentVariable("RADMAH_PROBE_GC") == "1"
        ? Task.Run(async () => { while (!collecting.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); await Task.Delay(2); } })
        : Task.CompletedTask;
    var resumed = await TrainAsync(new TrainingCheckpoints(20, () => saved, _ => { }), CancellationToken.None);
    collecting.Cancel();
    await collector;
    var whole = await TrainAsync(new TrainingCheckpoints(20, () => null, _ => { }), CancellationToken.None);
    var (a, b) = (resumed.LossCurves!["kl"], whole.LossCurves!["kl"]);
    var diverged = Enumerable.Range(0, a.Count).FirstOrDefault(e => BitConverter.DoubleToInt64Bits(a[e]) != BitConverter.DoubleToInt64Bits(b[e]), -1);
    static string Digest(SynthesisModel m) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(m.ToBytes()))[..16];
    Console.WriteLine($"resumed {Digest(resumed)}, uninterrupted {Digest(whole)}: {(diverged < 0 ? "the same" : $"losses differ from epoch {diverged + 1}")}");
}

static double Median(List<double> perEpoch)
{
    var kept = perEpoch.Skip(1).Order().ToArray();
    return kept.Length == 0 ? perEpoch[0] : kept[kept.Length / 2];
}

static async Task WriteLayoutAsync(string directory, float[] matrix, int rows, TabularEncoding encoding, ConditionSampler conditions)
{
    var bytes = new byte[matrix.Length * 4];
    Buffer.BlockCopy(matrix, 0, bytes, 0, bytes.Length);
    await File.WriteAllBytesAsync(Path.Combine(directory, "matrix.f32"), bytes);
    var layout = new JsonObject
    {
        ["rows"] = rows,
        ["width"] = encoding.Width,
        ["spans"] = new JsonArray([.. encoding.Spans.Select(s => (JsonNode)new JsonArray(s.Kind == SpanKind.Scalar ? "tanh" : "softmax", s.Start, s.Width))]),
        ["category_spans"] = new JsonArray([.. conditions.Blocks.Select(b => (JsonNode)new JsonArray(b.Span.Start, b.Span.Width))]),
    };
    await File.WriteAllTextAsync(Path.Combine(directory, "layout.json"), layout.ToJsonString());
}

static (double Tvae, double Ctgan) Reference(string directory, int epochs, int threads)
{
    var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "reference.py"), directory, epochs.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture) })
        start.ArgumentList.Add(a);
    // The same thread budget for every library PyTorch may hand work to.
    start.Environment["OMP_NUM_THREADS"] = start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    var errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"reference.py failed ({process.ExitCode}): {errors}");
    var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
    return (result["tvae"]!.GetValue<double>(), result["ctgan"]!.GetValue<double>());
}

// Peak memory of a TVAE training (1 epoch) on a large table: the table's columns and one encoded matrix, not copies.
static Task MemoryAsync(int rows)
{
    var table = AdultLike.Table(rows, seed: 3);
    long columnBytes = table.Sum(c => c is NumericColumn ? (long)rows * 8 : (long)rows * 4);
    var (resolved, _) = ModelHyperparameters.Resolve(ModelHyperparameters.Tvae, new Dictionary<string, string> { ["epochs"] = "1" });
    TorchRuntime.UseThreads(2);
    using var peak = RadMah.Measurement.PeakWorkingSet.Start();
    var fitted = new TvaeFamily().Fit(table, new ModelFitSettings { Seed = 1, Hyperparameters = resolved!, Parallelism = 2 }, CancellationToken.None);
    var width = ((NeuralSampler)fitted.Sampler).Encoding.Width;
    var (before, max) = (peak.Before, peak.StopAsync().GetAwaiter().GetResult());
    Console.WriteLine($"TVAE, 1 epoch on {rows:N0} rows: encoded matrix {rows:N0} × {width} = {(long)rows * width * 4 / 1e6:N0} MB; the table's columns {columnBytes / 1e6:N0} MB; " +
        $"working set {before / 1e6:N0} MB before training, peak {max / 1e6:N0} MB (+{(max - before) / 1e6:N0} MB)");
    return Task.CompletedTask;
}

// Rows per second from a trained CTGAN to CSV, as a synthesize job writes them (its rules kept).
static async Task SampleAsync(long rows, int threads)
{
    var csv = AdultLike.Csv(5_000, seed: 2);
    var bytes = Encoding.UTF8.GetBytes(csv);
    Func<CancellationToken, Task<ITableReader>> open = ct => TableReaders.OpenAsync(new MemoryStream(bytes), DatasetFormat.Csv, "adult-like.csv", new TableReadOptions(), ct);
    var info = new RadMah.Engine.Analysis.Profiling.DatasetInfo { Name = "adult-like.csv", ContentHash = "sha256:" + new string('0', 64), Format = "csv", SizeBytes = bytes.Length };
    var (codecs, tableRows) = await SynthesisRun.CodecsAsync(open, info, 1, threads, SynthesisRevision.Current.CopulaFitting, null, CancellationToken.None);
    var source = new ModelTraining
    {
        ArtifactId = "art_bench", Name = "adult-like.csv", Format = "csv", ContentHash = info.ContentHash, SizeBytes = bytes.Length, Seed = 1,
        HoldoutFraction = 0.2, MaxTrainingRows = 1_000_000, MaxHoldoutRows = 50_000, RowsRead = tableRows, TrainingRows = 0, HoldoutRows = 0, Sampled = false,
    };
    var (resolved, _) = ModelHyperparameters.Resolve(ModelHyperparameters.Ctgan, new Dictionary<string, string> { ["epochs"] = "2" });
    TorchRuntime.UseThreads(threads);
    var (model, _) = await SynthesisRun.TrainAsync(open, codecs, tableRows, source, new CtganFamily(),
        new ModelFitSettings { Seed = 1, Hyperparameters = resolved!, Parallelism = threads }, CancellationToken.None);
    var (copula, _) = await SynthesisRun.TrainAsync(open, codecs, tableRows, source, new RadMah.Engine.Synthesis.Copula.GaussianCopulaFamily(),
        new ModelFitSettings { Seed = 1, Hyperparameters = new Dictionary<string, string>(), Parallelism = threads }, CancellationToken.None);
    // The same CTGAN as a model stored before the folded generator samples it (its model.json without the mark): the module, one-at-a-time draws.
    var unmarked = ((NeuralSampler)model.Model.Sampler).ToJson();
    unmarked["network"]!.AsObject().Remove("sampling");
    var asStoredBefore = model with { Model = new RadMah.Engine.Synthesis.Constraints.ConstrainedModel(new CtganFamily().Read(unmarked), model.Model.Rules) };
    Console.WriteLine($"CTGAN (SDV's default networks, 2 epochs) on a 5,000-row adult-like table, {model.Codecs.Count} columns, {model.Model.Rules.Count} rules; {threads} thread(s)");
    for (var sitting = 1; sitting <= 3; sitting++)
    {
        var seconds = await SecondsToWriteAsync(model);
        var before = await SecondsToWriteAsync(asStoredBefore);
        var reference = await SecondsToWriteAsync(copula);
        Console.WriteLine($"sitting {sitting}: {rows:N0} rows to CSV in {seconds:0.00} s = {rows / seconds / 1e6:0.000} M rows/s; " +
            $"the same model sampled as one stored before the folded generator {rows / before / 1e6:0.000} M rows/s; " +
            $"a gaussian_copula model of the same table {rows / reference / 1e6:0.000} M rows/s");
    }

    async Task<double> SecondsToWriteAsync(SynthesisModel sampled)
    {
        var clock = Stopwatch.StartNew();
        await SynthesisRun.WriteRowsAsync(sampled, rows, 1, Stream.Null, null, new DatasetWriteOptions { Parallelism = threads }, CancellationToken.None);
        return clock.Elapsed.TotalSeconds;
    }
}

internal static class ForwardProfile
{
    // CTGAN's default generator over 1,007,616 rows (123 blocks of 8,192): the module as trained (eval mode, THREADS intra-op
    // threads) and the folded generator sampling runs (one thread), on the same weights and inputs: the network's own cost.
    public static void Run(int threads)
    {
        TorchRuntime.UseThreads(threads);
        using var ctgan = new Ctgan(160, [new EncodedSpan(0, SpanKind.Scalar, 0, 1), new EncodedSpan(0, SpanKind.OneHot, 1, 159)], 103, new CtganOptions(), seed: 1);
        ctgan.Freeze();
        const int block = 8_192, blocks = 123;
        var random = new Random(1);
        var noise = Enumerable.Range(0, block * 128).Select(_ => (float)random.NextDouble()).ToArray();
        var conditions = Enumerable.Range(0, block).Select(_ => random.Next(103)).ToArray();
        var input = new float[block * 231];
        for (var i = 0; i < block; i++)
        {
            noise.AsSpan(i * 128, 128).CopyTo(input.AsSpan(i * 231));
            input[i * 231 + 128 + conditions[i]] = 1;
        }
        var output = new float[block * 160];
        using (TorchSharp.torch.no_grad())
        {
            var clock = Stopwatch.StartNew();
            for (var b = 0; b < blocks; b++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                ctgan.Generate(TorchSharp.torch.tensor(input, [block, 231])).contiguous().data<float>().CopyTo(output);
            }
            Console.WriteLine($"generator module: {blocks * block / clock.Elapsed.TotalSeconds / 1e6:0.000} M rows/s ({threads} threads)");
        }
        using var folded = ctgan.FoldedGenerator();
        var started = Stopwatch.StartNew();
        for (var b = 0; b < blocks; b++) folded.Run(noise, conditions, block, output);
        Console.WriteLine($"folded generator: {blocks * block / started.Elapsed.TotalSeconds / 1e6:0.000} M rows/s (1 thread)");
    }
}
