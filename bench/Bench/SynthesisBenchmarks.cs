using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using RadMah.Engine.Output;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Bench;

/// <summary>
/// The Gaussian copula's three targets on 1,000,000 rows × 15 columns (10 numbers, dates and
/// integers with dependence built in, 5 categories): fitting it as a train job of the current
/// synthesis revision does (2 threads; from revision 4 that may be a copula per group), sampling
/// it to CSV, and SDMetrics' quality report of 1,000,000 synthetic rows against the real ones. In
/// the same run, the references: the Pearson matrix of the same 10 numbers in one pass (the least a
/// fit must do), the same groups sampled with Box–Muller scores (revision 4), one copula for the
/// whole table fitted and sampled (revision 3), the same sampled
/// row by row without stratification (what stratifying a block costs), and mock writing a
/// 1,000,000-row, 15-column CSV (the writer without a model).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class SynthesisBenchmarks
{
    public const int Rows = 1_000_000;

    private TableColumn[] _real = null!;
    private SynthesisModel _model = null!;
    private SynthesisModel _breachesOnTheirOwn = null!;
    private SynthesisModel _pooled = null!;
    private SynthesisModel _boxMuller = null!;
    private SynthesisModel _ziggurat = null!;
    private SynthesisModel _rowByRow = null!;
    private IReadOnlyList<TableColumn> _synthetic = null!;

    public static TableColumn[] Table(int rows)
    {
        var key = SplitMix64.SeedKey(42);
        var numbers = Enumerable.Range(0, 10).Select(_ => new double[rows]).ToArray();
        var categories = Enumerable.Range(0, 5).Select(_ => new string?[rows]).ToArray();
        string[] regions = ["north", "south", "east", "west"], tiers = ["free", "pro", "team"], channels = ["web", "app", "store", "phone", "partner"];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var z = rng.NextGaussian();
            numbers[0][i] = Math.Round(Math.Clamp(40 + 12 * z, 18, 90));                         // age
            numbers[1][i] = Math.Round(20_000 + 900 * numbers[0][i] + 9_000 * rng.NextGaussian(), 2); // income
            numbers[2][i] = Math.Round(Math.Exp(3 + rng.NextGaussian()), 2);                      // spend
            numbers[3][i] = Math.Round(numbers[2][i] * 0.2, 2);                                    // tax
            numbers[4][i] = Math.Round(numbers[2][i] + numbers[3][i], 2);                          // total
            numbers[5][i] = 18_000 + (long)rng.NextBelow(2_000);                                   // opened (days)
            numbers[6][i] = numbers[5][i] + (long)rng.NextBelow(90);                               // closed
            numbers[7][i] = rng.NextDouble() < 0.03 ? double.NaN : Math.Round(1 + 4 * rng.NextDouble()); // rating
            numbers[8][i] = Math.Round(5 + 10 * rng.NextGaussian(), 1);                            // low
            numbers[9][i] = Math.Round(numbers[8][i] + 3 + 5 * rng.NextDouble(), 1);               // high
            categories[0][i] = regions[rng.NextBelow(4)];
            categories[1][i] = numbers[1][i] > 70_000 ? "team" : numbers[1][i] > 50_000 ? "pro" : tiers[0];
            categories[2][i] = channels[rng.NextBelow(5)];
            categories[3][i] = rng.NextDouble() < 0.1 ? null : (rng.NextDouble() < 0.5 ? "yes" : "no");
            categories[4][i] = categories[0][i] is "north" or "east" ? "A" : "B";
        }
        return
        [
            new NumericColumn("age", numbers[0], NumericRole.Integer),
            new NumericColumn("income", numbers[1], NumericRole.Decimal, 2),
            new NumericColumn("spend", numbers[2], NumericRole.Decimal, 2),
            new NumericColumn("tax", numbers[3], NumericRole.Decimal, 2),
            new NumericColumn("total", numbers[4], NumericRole.Decimal, 2),
            new NumericColumn("opened", numbers[5], NumericRole.Date),
            new NumericColumn("closed", numbers[6], NumericRole.Date),
            new NumericColumn("rating", numbers[7], NumericRole.Integer),
            new NumericColumn("low", numbers[8], NumericRole.Decimal, 1),
            new NumericColumn("high", numbers[9], NumericRole.Decimal, 1),
            CategoricalColumn.FromValues("region", categories[0]),
            CategoricalColumn.FromValues("tier", categories[1]),
            CategoricalColumn.FromValues("channel", categories[2]),
            CategoricalColumn.FromValues("newsletter", categories[3]),
            CategoricalColumn.FromValues("zone", categories[4]),
        ];
    }

    /// <summary>The codecs a profile of this table would give (numbers, dates, categories).</summary>
    public static ColumnCodec[] Codecs(IReadOnlyList<TableColumn> table) => [.. table.Select(c => c switch
    {
        NumericColumn { Role: NumericRole.Date } n => new ColumnCodec(n.Name, CodecKind.Date, "date") { NullRate = 0 },
        NumericColumn n => new ColumnCodec(n.Name, CodecKind.Number, n.Role == NumericRole.Integer ? "integer" : "decimal")
        {
            Role = n.Role,
            Decimals = n.Decimals ?? 0,
            NullRate = n.Name == "rating" ? 0.03 : 0,
        },
        _ => new ColumnCodec(c.Name, CodecKind.Category, "categorical") { NullRate = c.Name == "newsletter" ? 0.1 : 0 },
    })];

    public static SynthesisModel Model(TableColumn[] real, IRowSampler copula, bool breachesInGroup = false) => new(ModelHyperparameters.GaussianCopula, Codecs(real),
        new ConstrainedModel(copula, ConstraintDetector.Detect(real, 1, manyPairs: true), breachesInGroup), new ModelTraining
        {
            ArtifactId = "art_bench", Name = "bench.csv", Format = "csv", ContentHash = "sha256:" + new string('0', 64), SizeBytes = 1, Seed = 1,
            HoldoutFraction = 0, MaxTrainingRows = Rows, MaxHoldoutRows = 0, RowsRead = Rows, TrainingRows = Rows, HoldoutRows = 0, Sampled = false,
        });

    [GlobalSetup]
    public void Setup()
    {
        _real = Table(Rows);
        var copula = GaussianCopula.Fit(_real, 1, 2);
        var fitted = FitAsAJob();
        Console.WriteLine(GapCopula.Under(fitted) is GroupedCopula grouped ? $"// the model: a copula per {(grouped.GroupedBy is { } by ? $"group of {by}" : "cluster of rows")} ({grouped.Groups.Count})" : "// the model: one copula");
        if (fitted is GapCopula modelled) Console.WriteLine($"// drawn as gaps: {string.Join(", ", modelled.Gaps.Select(g => g.Describe()))}");
        _model = Model(_real, fitted, breachesInGroup: true);
        _breachesOnTheirOwn = Model(_real, fitted);
        _pooled = Model(_real, copula);
        _boxMuller = Model(_real, GaussianCopulaFamily.Fit(_real, 1, 2, CopulaFitting.Grouped, CancellationToken.None));
        _ziggurat = Model(_real, GaussianCopulaFamily.Fit(_real, 1, 2, CopulaFitting.ZigguratScores, CancellationToken.None));
        _rowByRow = Model(_real, new GaussianCopula(copula.Columns, copula.Correlation, CopulaSampling.Independent));
        _synthetic = ModelSampler.SampleModelled(_model, 5, Rows, 2, CancellationToken.None);
        int[] training = [.. Enumerable.Range(0, Rows).Where(r => r % 5 != 0)], holdout = [.. Enumerable.Range(0, Rows).Where(r => r % 5 == 0)];
        _split = new TrainingTable([], [.. _real.Select(c => c.AtRows(training))], [.. _real.Select(c => c.AtRows(holdout))], Rows, false);
        SetupOrchard();
    }

    private IRowSampler FitAsAJob() => GaussianCopulaFamily.Fit(_real, 1, 2, Engine.Synthesis.SynthesisRevision.Current.CopulaFitting,
        ConstraintDetector.Detect(_real, 1, manyPairs: true), CancellationToken.None);

    [Benchmark(Description = "copula: fit 1,000,000 rows × 15 columns (2 threads), as a train job of the current revision")]
    public int Fit() => FitAsAJob().Columns.Count;

    [Benchmark(Description = "reference: the same fit as revision 11 does it (the normal scores' correlations, no Pearson matching)")]
    public int FitScoresCorrelations() => GaussianCopulaFamily.Fit(_real, 1, 2, CopulaFitting.BreachesInGroup,
        ConstraintDetector.Detect(_real, 1, manyPairs: true), CancellationToken.None).Columns.Count;

    [Benchmark(Description = "reference: one copula for the whole table, fitted (revision 3)")]
    public int FitOneCopula() => GaussianCopula.Fit(_real, 1, 2).Dimensions;

    [Benchmark(Description = "reference: Pearson matrix of the 10 numeric columns, one pass")]
    public double PearsonMatrix()
    {
        var columns = _real.OfType<NumericColumn>().Select(c => c.Values).ToArray();
        var k = columns.Length;
        var sums = new double[k];
        var products = new double[k, k];
        for (var r = 0; r < Rows; r++)
        {
            for (var i = 0; i < k; i++)
            {
                var x = columns[i][r];
                if (double.IsNaN(x)) continue;
                sums[i] += x;
                for (var j = i; j < k; j++)
                {
                    var y = columns[j][r];
                    if (!double.IsNaN(y)) products[i, j] += x * y;
                }
            }
        }
        return products[0, k - 1] + sums[0];
    }

    /// <summary>1,000,000 rows of <paramref name="model"/> written as CSV to nowhere, on 2 threads, as a synthesize job writes them.</summary>
    private static Task SampleToNullAsync(SynthesisModel model) =>
        MockDatasetWriter.WriteAsync(model.ToContract(Rows, 9), Stream.Null, null, new DatasetWriteOptions { Parallelism = 2 });

    [Benchmark(Description = "copula: sample 1,000,000 rows to CSV (2 threads, rules kept)")]
    public Task SampleCsv() =>
        SampleToNullAsync(_model);

    [Benchmark(Description = "reference: the same model, rows that break a rule drawn again on their own from the whole model (revision 10)")]
    public Task SampleBreachesOnTheirOwnCsv() =>
        SampleToNullAsync(_breachesOnTheirOwn);

    [Benchmark(Description = "reference: the same groups without gaps, inequalities kept by redrawing rows (revision 5; 2 threads, rules kept)")]
    public Task SampleWithoutGapsCsv() =>
        SampleToNullAsync(_ziggurat);

    [Benchmark(Description = "reference: the same groups with Box–Muller scores sampled to CSV (revision 4; 2 threads, rules kept)")]
    public Task SampleBoxMullerCsv() =>
        SampleToNullAsync(_boxMuller);

    [Benchmark(Description = "reference: one copula for the whole table sampled to CSV (revision 3; 2 threads, rules kept)")]
    public Task SampleOneCopulaCsv() =>
        SampleToNullAsync(_pooled);

    [Benchmark(Description = "reference: one copula sampled row by row, unstratified (2 threads, rules kept)")]
    public Task SampleCsvRowByRow() =>
        SampleToNullAsync(_rowByRow);

    [Benchmark(Description = "reference: mock 1,000,000 rows × 15 columns to CSV (2 threads)")]
    public async Task MockCsv() =>
        await MockDatasetWriter.WriteAsync(WideTable.Contract(Rows), Stream.Null, null, new DatasetWriteOptions { Parallelism = 2 });

    [Benchmark(Description = "synthesize's copy guard: measured against 800,000 training and 200,000 held-out rows (15 columns; a 20,000-row trial)")]
    public bool CopyGuardMeasure() => CopyGuard.Measure(_model.Model, _split, 9).IsActive;

    [Benchmark(Description = "copula of a 48-row orchard table (6 plots × 8 ages, integer heights): sample 1,000,000 rows to CSV, copies of training rows drawn again (revision 7's guard, on)")]
    public Task SampleSmallTableGuardedCsv() =>
        SampleToNullAsync(_orchardGuarded);

    [Benchmark(Description = "reference: the same model sampled without the guard")]
    public Task SampleSmallTableCsv() =>
        SampleToNullAsync(_orchard);

    private SynthesisModel _orchard = null!;
    private SynthesisModel _orchardGuarded = null!;

    /// <summary>The orchard of CopyGuardTests: no row equals another, and a copula of it draws training rows now and then.</summary>
    private void SetupOrchard()
    {
        int[] ages = [118, 484, 664, 1004, 1231, 1372, 1582, 1800];
        var (plots, ageValues, heights) = (new List<int>(), new List<double>(), new List<double>());
        for (var t = 0; t < 6; t++)
            for (var a = 0; a < ages.Length; a++)
            {
                plots.Add(t);
                ageValues.Add(ages[a]);
                heights.Add((int)(30 + a * 22 * (0.8 + 0.08 * t) + (t * 7 + a * 3) % 5));
            }
        TableColumn[] Part(Func<int, bool> keep)
        {
            var rows = Enumerable.Range(0, plots.Count).Where(keep).ToArray();
            return [new CategoricalColumn("plot", [.. rows.Select(r => plots[r])], ["P0", "P1", "P2", "P3", "P4", "P5"]),
                new NumericColumn("age", [.. rows.Select(r => ageValues[r])], NumericRole.Integer, 0),
                new NumericColumn("height", [.. rows.Select(r => heights[r])], NumericRole.Integer, 0)];
        }
        TableColumn[] training = Part(r => r % 5 != 0), holdout = Part(r => r % 5 == 0);
        _orchard = Model(training, GaussianCopulaFamily.Fit(training, 1, 2, Engine.Synthesis.SynthesisRevision.Current.CopulaFitting,
            ConstraintDetector.Detect(training, 1, manyPairs: true), CancellationToken.None));
        var guard = CopyGuard.Measure(_orchard.Model, new TrainingTable([], training, holdout, plots.Count, false), 9);
        Console.WriteLine($"// the orchard's guard: trial {guard.TrialCopyRate:P2} copies, holdout {guard.HoldoutCopyRate:P2}, kept with probability {guard.KeepShare}");
        _orchardGuarded = _orchard with { Model = _orchard.Model.WithGuard(guard) };
    }

    /// <summary>The table split as a train job splits it, every fifth row held out.</summary>
    private TrainingTable _split = null!;

    [Benchmark(Description = "quality report: 1,000,000 synthetic rows against 1,000,000 real (15 columns, 105 pairs)")]
    public double Quality() => QualityScores.Compute(_real, _synthetic).Overall;
}
