using System.Globalization;
using System.IO.Compression;
using RadMah.Engine.Analysis.Inference;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Datasets;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Bench;

/// <summary>
/// The quality of synthesize on real tables given on the command line (any upload format, or gzipped), against
/// independent sampling (each column drawn on its own from the training rows: its shape kept, its
/// relations lost) and, as the ceiling at the table's size, whole training rows drawn with
/// replacement (the real joint itself, sampled). All are scored by the same SDMetrics report against
/// the training rows, with as many synthetic rows as training rows. RADMAH_QUALITY_DETAIL=1 prints each column's score, its
/// marginal, and category frequencies on 100,000 rows (with and without the rules).
/// </summary>
public static class SynthesisQuality
{
    /// <param name="family">The model family to train (the copula when null), with <paramref name="hyperparameters"/> as a job would give them.</param>
    public static async Task RunAsync(IEnumerable<string> paths, IModelFamily? family = null, IReadOnlyDictionary<string, string>? hyperparameters = null)
    {
        family ??= new GaussianCopulaFamily();
        // RADMAH_QUALITY_REVISION=3 fits and scores as an earlier revision did, for a comparison in the same run.
        var revision = Environment.GetEnvironmentVariable("RADMAH_QUALITY_REVISION") is { Length: > 0 } number
            ? SynthesisRevision.Of(int.Parse(number, CultureInfo.InvariantCulture))
            : SynthesisRevision.Current;
        // RADMAH_QUALITY_SEED: the synthesize seed (7 by default), to see the spread of the figures over seeds.
        var seed = Environment.GetEnvironmentVariable("RADMAH_QUALITY_SEED") is { Length: > 0 } chosen ? long.Parse(chosen, CultureInfo.InvariantCulture) : 7;
        var (resolved, problem) = ModelHyperparameters.Resolve(family.Name, hyperparameters ?? new Dictionary<string, string>());
        if (problem is not null) throw new ArgumentException(problem);
        Console.WriteLine($"model: {family.Name} {string.Join(" ", resolved!.Select(h => $"{h.Key}={h.Value}"))}, synthesis revision {revision.Number}");
        Console.WriteLine("| table | rows × columns | synthesize shapes / pairs / overall | independent columns shapes / pairs / overall | rule violations | privacy | training rows resampled whole (the size's ceiling) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var path in paths)
        {
            var bytes = await ReadAsync(path);
            var name = Path.GetFileName(path);
            var format = DatasetFormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, DatasetFormatDetector.HeadBytes)), name);
            Func<CancellationToken, Task<ITableReader>> open = ct => TableReaders.OpenAsync(new MemoryStream(bytes), format, name, null, ct);
            var info = new DatasetInfo { Name = name, ContentHash = "sha256:" + new string('0', 64), Format = format.ToWire(), SizeBytes = bytes.Length };
            IReadOnlyList<ColumnCodec> codecs;
            long rows;
            try
            {
                (codecs, rows) = await SynthesisRun.CodecsAsync(open, info, 1, 2, revision.CopulaFitting, null, CancellationToken.None);
            }
            catch (RadMah.Engine.Contracts.ContractException ex)
            {
                Console.WriteLine($"| {name} | refused: {ex.Message} | | | | |");
                continue;
            }
            var source = new ModelTraining
            {
                ArtifactId = "art_x", Name = name, Format = info.Format, ContentHash = info.ContentHash, SizeBytes = bytes.Length, Seed = 1,
                HoldoutFraction = 0.2, MaxTrainingRows = 1_000_000, MaxHoldoutRows = 50_000, RowsRead = rows, TrainingRows = 0, HoldoutRows = 0, Sampled = false,
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (model, table) = await SynthesisRun.TrainAsync(open, codecs, rows, source, family,
                new ModelFitSettings { Seed = 1, Hyperparameters = resolved!, Parallelism = 2, CopulaFitting = revision.CopulaFitting }, CancellationToken.None);
            Console.WriteLine($"    {name}: trained in {clock.Elapsed.TotalSeconds:0.0} s");
            model = SynthesisRun.ForSynthesis(model, table, seed, revision);
            if (model.Model.Guard is { IsActive: true } guard)
                Console.WriteLine($"    {name}: copies guarded: trial {guard.TrialCopyRate:P2}, holdout {guard.HoldoutCopyRate:P2}, kept with p {guard.KeepShare:0.###}");
            // One copula only (a small table is not grouped): a measurement it models as continuous was fitted again.
            if (model.Copula?.Columns.OfType<ContinuousColumn>().Any(c => GaussianCopula.Measurements(table.Training).Contains(c.Name)) == true)
                Console.WriteLine($"    {name}: measurements continuous (their training values copied rows)");
            if (model.Model.Sampler is GapCopula gapped) Console.WriteLine($"    {name}: drawn as gaps: {string.Join(", ", gapped.Gaps.Select(g => g.Describe()))}");
            if (GapCopula.Under(model.Model.Sampler) is GroupedCopula grouped) Console.WriteLine($"    {name}: a copula per {(grouped.GroupedBy is { } by ? $"group of {by}" : "cluster of rows")} ({grouped.Groups.Count} groups)");
            var synthetic = table.Training[0].Length;
            var (quality, privacy) = SynthesisRun.Evaluate(model, table, synthetic, seed, 2, revision, CancellationToken.None);
            var violations = quality["constraints"]!.AsArray().Sum(c => c!["violations"]!.GetValue<long>());

            // The reference: each column sampled on its own from the training rows (independent sampling).
            var reference = QualityScores.Compute(table.Training, IndependentBaseline.Sample(table.Training, synthetic, seed: 7));
            // The ceiling at this size: whole training rows drawn with replacement, the real joint itself (copies, so no model's goal).
            var ceiling = QualityScores.Compute(table.Training, RowsResampled(table.Training, synthetic, seed: 7));
            var modelled = model.Codecs.Select(c => c.Name).ToArray();

            if (Environment.GetEnvironmentVariable("RADMAH_QUALITY_DETAIL") == "1")
            {
                foreach (var c in quality["columns"]!.AsArray()) Console.WriteLine($"    {c!["column"]} {c["metric"]} {c["score"]} (independent {reference.Columns.Single(x => x.Column == c["column"]!.GetValue<string>()).Score:0.000})");
                foreach (var c in model.Copula?.Columns.OfType<ContinuousColumn>() ?? []) Console.WriteLine($"    {c.Name}: {c.Marginal.Family} KS {c.Marginal.KsStatistic:0.000}");
                var big = ModelSampler.SampleModelled(model, 7, 100_000, 2, CancellationToken.None);
                var plain = model.Model.Sampler.Sample(0, 100_000, RadMah.Engine.Randomness.SplitMix64.SeedKey(3));
                for (var i = 0; i < big.Count; i++)
                    if (big[i] is CategoricalColumn k)
                    {
                        var real = (CategoricalColumn)table.Training[i];
                        string Freq(CategoricalColumn col) => string.Join(" ", col.Codes.GroupBy(x => x < 0 ? "(null)" : col.Categories[x]).OrderBy(g => g.Key).Select(g => $"{g.Key}={(double)g.Count() / col.Length:0.000}"));
                        Console.WriteLine($"    {k.Name}: real {Freq(real)} | synthetic {Freq(k)} | plain {Freq((CategoricalColumn)plain[i])}");
                    }
                Console.WriteLine($"    rules: {string.Join("; ", model.Model.Rules.Select(r => r.Describe()))}");
                foreach (var p in quality["worst_pairs"]!.AsArray()) Console.WriteLine($"    worst pair {p!["column_1"]} × {p["column_2"]}: {p["metric"]} {p["score"]} (independent {reference.Pairs.Single(x => x.Column1 == p["column_1"]!.GetValue<string>() && x.Column2 == p["column_2"]!.GetValue<string>()).Score:0.000})");
                foreach (var c in model.Codecs) Console.WriteLine($"    codec {c}");
                Console.WriteLine($"    privacy {privacy.ToJsonString()}");
            }
            // With 20,000 synthetic rows the synthetic side's sampling noise is small: what remains is the model's error and the real side's noise.
            var (large, _) = SynthesisRun.Evaluate(model, table, 20_000, 7, 2, revision, CancellationToken.None);
            var largeReference = QualityScores.Compute(table.Training, IndependentBaseline.Sample(table.Training, 20_000, seed: 7));
            if (Environment.GetEnvironmentVariable("RADMAH_QUALITY_DETAIL") == "1")
                foreach (var c in large["columns"]!.AsArray())
                    Console.WriteLine($"    20,000 rows: {c!["column"]} {c["metric"]} {c["score"]} (independent {largeReference.Columns.Single(x => x.Column == c["column"]!.GetValue<string>()).Score:0.000})");
            Console.WriteLine($"| {name}, 20,000 synthetic rows | | {F(large["column_shapes"]!.GetValue<double>())} / {F(large["column_pair_trends"]!.GetValue<double>())} / {F(large["overall"]!.GetValue<double>())} " +
                $"| {F(largeReference.ColumnShapes)} / {F(largeReference.ColumnPairTrends)} / {F(largeReference.Overall)} | | | |");
            await LookAlikeAsync(name, bytes, info, open, revision);
            var unseen = RowsWithUnseenCategoryPair(table.Training, ModelSampler.SampleModelled(model, 7, 20_000, 2, CancellationToken.None));
            Console.WriteLine($"| {name} | {rows:N0} × {modelled.Length} ({table.Training.Count} modelled) | {F(quality["column_shapes"]!.GetValue<double>())} / {F(quality["column_pair_trends"]!.GetValue<double>())} / {F(quality["overall"]!.GetValue<double>())} " +
                $"| {F(reference.ColumnShapes)} / {F(reference.ColumnPairTrends)} / {F(reference.Overall)} | {violations} of {quality["constraints"]!.AsArray().Count} rules, {unseen:N0} of 20,000 rows with a category pair no training row has | {privacy["verdict"]} ({privacy["exact_copies"]!["synthetic_rows_equal_to_a_training_row"]} copies of {synthetic:N0}) " +
                $"| {F(ceiling.ColumnShapes)} / {F(ceiling.ColumnPairTrends)} / {F(ceiling.Overall)} |");
        }
    }

    /// <summary>Rows of <paramref name="synthetic"/> with two category values (null included) that no row of <paramref name="training"/> has together.</summary>
    private static int RowsWithUnseenCategoryPair(IReadOnlyList<TableColumn> training, IReadOnlyList<TableColumn> synthetic)
    {
        var categorical = Enumerable.Range(0, training.Count).Where(c => training[c] is CategoricalColumn).ToArray();
        var seen = new HashSet<(int, int, string?, string?)>();
        foreach (var a in categorical)
            foreach (var b in categorical.Where(b => b > a))
                for (var r = 0; r < training[0].Length; r++)
                    seen.Add((a, b, ((CategoricalColumn)training[a]).ValueAt(r), ((CategoricalColumn)training[b]).ValueAt(r)));
        return Enumerable.Range(0, synthetic[0].Length).Count(r => categorical.Any(a => categorical.Where(b => b > a)
            .Any(b => !seen.Contains((a, b, ((CategoricalColumn)synthetic[a]).ValueAt(r), ((CategoricalColumn)synthetic[b]).ValueAt(r))))));
    }

    /// <summary>
    /// The look-alike path as a user runs it: analyze (profile, then the copula fitted to a sample), mock from the inferred
    /// contract with as many rows as the table, the CSV read back with the table's own codecs, scored against the whole table; the
    /// copula fitted as <paramref name="revision"/> fits it.
    /// </summary>
    private static async Task LookAlikeAsync(string name, byte[] bytes, DatasetInfo info, Func<CancellationToken, Task<ITableReader>> open, SynthesisRevision revision)
    {
        DatasetProfile profile;
        await using (var reader = await open(CancellationToken.None))
            profile = await TableProfiler.ProfileAsync(reader, info, new ProfileOptions());
        var dependence = await SynthesisRun.FitLookAlikeAsync(open, profile, 1, 2, revision.CopulaFitting, CancellationToken.None);
        var contract = ContractInference.Infer(profile, profile.Table.Rows, 7, dependence);
        using var csv = new MemoryStream();
        await RadMah.Engine.Output.MockDatasetWriter.WriteAsync(contract, csv, null, new RadMah.Engine.Output.DatasetWriteOptions { Parallelism = 2 });
        var mockBytes = csv.ToArray();
        var codecs = dependence?.Codecs ?? TrainingTable.CodecsOf(profile, revision.CopulaFitting, regenerateEmpty: true);
        var split = new TrainingSplit { Seed = 1, HoldoutFraction = 0 };
        var real = await SynthesisRun.LoadAsync(open, codecs, profile.Table.Rows, split, CancellationToken.None);
        var mock = await SynthesisRun.LoadAsync(ct => TableReaders.OpenAsync(new MemoryStream(mockBytes), DatasetFormat.Csv, "mock.csv", null, ct), codecs, profile.Table.Rows, split,
            CancellationToken.None);
        var scores = QualityScores.Compute(real.Training, mock.Training);
        if (Environment.GetEnvironmentVariable("RADMAH_QUALITY_DETAIL") == "1")
            foreach (var c in scores.Columns) Console.WriteLine($"    look-alike {c.Column} {c.Metric} {F(c.Score)}");
        var independentRows = IndependentBaseline.Sample(real.Training, real.Training[0].Length, seed: 7);
        var independent = QualityScores.Compute(real.Training, independentRows);
        // Rows equal to a real row: the look-alike path has no holdout and no guard, so its copies are set beside independent sampling's.
        var realKeys = new HashSet<ulong>(RowKeys.All(real.Training));
        var copies = RowKeys.All(mock.Training).Count(realKeys.Contains);
        var independentCopies = RowKeys.All(independentRows).Count(realKeys.Contains);
        Console.WriteLine($"| {name}, look-alike (analyze → mock{(dependence is null ? ", column by column" : "")}) | {profile.Table.Rows:N0} rows, all of them scored " +
            $"| {F(scores.ColumnShapes)} / {F(scores.ColumnPairTrends)} / {F(scores.Overall)} | {F(independent.ColumnShapes)} / {F(independent.ColumnPairTrends)} / {F(independent.Overall)} " +
            $"| | {copies} copies of a real row (independent columns {independentCopies}) | |");
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary><paramref name="rows"/> whole rows of <paramref name="real"/> drawn with replacement.</summary>
    private static IReadOnlyList<TableColumn> RowsResampled(IReadOnlyList<TableColumn> real, int rows, long seed)
    {
        var key = RadMah.Engine.Randomness.SplitMix64.SeedKey(unchecked((ulong)seed) ^ 0x726F7773UL);
        var picked = Enumerable.Range(0, rows).Select(r => (int)RadMah.Engine.Randomness.SplitMix64.ForCell(key, r, 0).NextBelow((ulong)real[0].Length)).ToArray();
        return real.Select(column => column.AtRows(picked)).ToArray();
    }

    private static async Task<byte[]> ReadAsync(string path)
    {
        await using var file = File.OpenRead(path);
        using var buffer = new MemoryStream();
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer);
        }
        else await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
