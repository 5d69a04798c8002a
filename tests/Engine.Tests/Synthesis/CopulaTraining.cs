using System.Security.Cryptography;
using System.Text;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;
using RadMah.Engine.Output;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>A CSV table's bytes to a copula model as a train job makes one: codecs from a profile, the seeded 20% holdout, the fit.</summary>
internal static class CopulaTraining
{
    public static Func<CancellationToken, Task<ITableReader>> Opener(byte[] csv, string name) =>
        ct => TableReaders.OpenAsync(new MemoryStream(csv), DatasetFormat.Csv, name, new TableReadOptions(), ct);

    public static async Task<(SynthesisModel Model, TrainingTable Table)> TrainAsync(byte[] csv, string name, long seed, int parallelism,
        CopulaFitting fitting = CopulaFitting.BoundedScores)
    {
        var ct = TestContext.Current.CancellationToken;
        var open = Opener(csv, name);
        var info = new DatasetInfo
        {
            Name = name, ContentHash = "sha256:" + Convert.ToHexString(SHA256.HashData(csv)).ToLowerInvariant(), Format = "csv", SizeBytes = csv.Length,
        };
        var (codecs, tableRows) = await SynthesisRun.CodecsAsync(open, info, seed, parallelism, fitting, null, ct);
        var source = new ModelTraining
        {
            ArtifactId = "art_" + Path.GetFileNameWithoutExtension(name), Name = name, Format = "csv", ContentHash = info.ContentHash, SizeBytes = csv.Length,
            Seed = seed, HoldoutFraction = 0.2, MaxTrainingRows = 1_000_000, MaxHoldoutRows = 50_000,
            RowsRead = tableRows, TrainingRows = 0, HoldoutRows = 0, Sampled = false,
        };
        return await SynthesisRun.TrainAsync(open, codecs, tableRows, source, new GaussianCopulaFamily(),
            new ModelFitSettings { Seed = seed, Hyperparameters = new Dictionary<string, string>(), Parallelism = parallelism, CopulaFitting = fitting }, ct);
    }

    /// <summary>A model's first <paramref name="rows"/> synthetic rows as a synthesize job writes them (2 threads), split into cells, the header left out.</summary>
    public static async Task<string[][]> SampleRowsAsync(SynthesisModel model, long rows, long seed)
    {
        using var csv = new MemoryStream();
        await SynthesisRun.WriteRowsAsync(model, rows, seed, csv, null, new DatasetWriteOptions { Parallelism = 2 }, TestContext.Current.CancellationToken);
        return [.. Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.TrimEnd('\r').Split(','))];
    }
}
