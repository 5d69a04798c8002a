using System.Text;
using RadMah.Engine.Output;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Reports;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>A synthesize job's rows equal to a training row: drawn again beyond the rate held-out rows show, and only then.</summary>
public sealed class CopyGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// 6 plots × 8 ages, one height each: no row equals another, so no held-out row equals a training row; heights are integers of a
    /// few dozen values, so a copula of it draws whole training rows now and then.
    /// </summary>
    private static byte[] Orchard()
    {
        int[] ages = [118, 484, 664, 1004, 1231, 1372, 1582, 1800];
        var csv = new StringBuilder("plot,age,height\n");
        for (var t = 0; t < 6; t++)
            for (var a = 0; a < ages.Length; a++)
                csv.Append($"P{t},{ages[a]},{(int)(30 + a * 22 * (0.8 + 0.08 * t) + (t * 7 + a * 3) % 5)}\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static int CopiesOf(IReadOnlyList<TableColumn> training, IReadOnlyList<TableColumn> synthetic)
    {
        var keys = new HashSet<ulong>(RowKeys.All(training));
        return RowKeys.All(synthetic).Count(keys.Contains);
    }

    private static async Task<byte[]> CsvAsync(SynthesisModel model, long rows, long seed, int parallelism)
    {
        using var csv = new MemoryStream();
        await SynthesisRun.WriteRowsAsync(model, rows, seed, csv, null, new DatasetWriteOptions { Parallelism = parallelism }, Ct);
        return csv.ToArray();
    }

    [Fact]
    public async Task A_model_that_copies_training_rows_more_often_than_held_out_rows_do_has_those_rows_drawn_again_until_none_is_one()
    {
        var (model, table) = await CopulaTraining.TrainAsync(Orchard(), "orchard.csv", seed: 3, parallelism: 2, CopulaFitting.InequalityGaps);
        var plain = ModelSampler.SampleModelled(model, seed: 9, count: 5_000, parallelism: 2, Ct);
        var plainCopies = CopiesOf(table.Training, plain);
        Assert.InRange(plainCopies, 100, 1_000);

        var guarded = SynthesisRun.ForSynthesis(model, table, seed: 9, SynthesisRevision.PrecisionKept);
        var guard = guarded.Model.Guard!;
        Assert.True(guard.IsActive);
        Assert.Equal(0, guard.HoldoutCopyRate);
        Assert.Equal(0, guard.KeepShare);
        Assert.InRange(guard.TrialCopyRate, 0.02, 0.2);
        var rows = ModelSampler.SampleModelled(guarded, seed: 9, count: 5_000, parallelism: 2, Ct);
        Assert.Equal(0, CopiesOf(table.Training, rows));
        // What the copies cost the columns' shapes: drawn again inside their strata first, about nothing.
        var before = QualityScores.Compute(table.Training, plain);
        var after = QualityScores.Compute(table.Training, rows);
        Assert.True(after.ColumnShapes >= before.ColumnShapes - 0.01, $"{before.ColumnShapes} → {after.ColumnShapes}");
        Assert.True(after.ColumnPairTrends >= before.ColumnPairTrends - 0.03, $"{before.ColumnPairTrends} → {after.ColumnPairTrends}");

        var (_, privacy) = SynthesisRun.Evaluate(guarded, table, 5_000, 9, 2, SynthesisRevision.PrecisionKept, Ct);
        Assert.Equal(0, privacy["exact_copies"]!["synthetic_rows_equal_to_a_training_row"]!.GetValue<long>());
        Assert.Equal(0, privacy["copy_guard"]!["keep_share"]!.GetValue<double>());
        Assert.Equal(CopyGuard.TrialRows, privacy["copy_guard"]!["trial_rows"]!.GetValue<int>());
        Assert.DoesNotContain(privacy["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains("equal a training row", StringComparison.Ordinal));
        var (_, unguarded) = SynthesisRun.Evaluate(model, table, 5_000, 9, 2, SynthesisRevision.InequalityGaps, Ct);
        Assert.Contains(unguarded["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains("equal a training row", StringComparison.Ordinal));
        Assert.Null(unguarded["copy_guard"]);
    }

    [Fact]
    public async Task Guarded_rows_are_the_same_bytes_on_every_run_and_thread_count_and_only_copies_differ_from_the_unguarded_rows()
    {
        var (model, table) = await CopulaTraining.TrainAsync(Orchard(), "orchard.csv", seed: 3, parallelism: 2, CopulaFitting.InequalityGaps);
        var guarded = SynthesisRun.ForSynthesis(model, table, seed: 4, SynthesisRevision.PrecisionKept);
        var again = SynthesisRun.ForSynthesis(model, table, seed: 4, SynthesisRevision.PrecisionKept);
        // More rows than one stratified block, so blocks are guarded side by side.
        var one = await CsvAsync(guarded, 10_000, 4, parallelism: 1);
        Assert.Equal(one, await CsvAsync(again, 10_000, 4, parallelism: 2));
        var plain = await CsvAsync(model, 10_000, 4, parallelism: 2);
        Assert.NotEqual(one, plain);
        // What the guard wrote when revisions 7 to 10 were sealed: a later change to it is a new revision.
        Assert.Equal("AB2AED08DDF2315B4F2DCDBDEC7BEC2FF2F47BF24A943829C854AACA2FD00CA2", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(one)));

        var realRows = Encoding.UTF8.GetString(Orchard()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToHashSet();
        var guardedLines = Encoding.UTF8.GetString(one).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var plainLines = Encoding.UTF8.GetString(plain).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(plainLines.Length, guardedLines.Length);
        var changed = Enumerable.Range(1, plainLines.Length - 1).Where(i => plainLines[i] != guardedLines[i]).ToArray();
        // Every changed line was a copy of a real row (training or held out) and its replacement is not a training row.
        Assert.NotEmpty(changed);
        Assert.All(changed, i => Assert.Contains(plainLines[i].TrimEnd('\r'), realRows));
        var training = new HashSet<ulong>(RowKeys.All(table.Training));
        Assert.Equal(0, RowKeys.All(ModelSampler.SampleModelled(guarded, 4, 10_000, 2, Ct)).Count(training.Contains));
    }

    [Fact]
    public async Task A_model_that_copies_no_more_often_than_held_out_rows_do_and_contracts_of_earlier_revisions_sample_their_rows_as_drawn()
    {
        // Three colours × three sizes, 300 rows: nearly every row, held out or not, equals a training row.
        var csv = new StringBuilder("colour,size\n");
        for (var i = 0; i < 300; i++) csv.Append($"{new[] { "red", "green", "blue" }[i * 7 % 3]},{new[] { "S", "M", "L" }[i * 5 / 3 % 3]}\n");
        var (model, table) = await CopulaTraining.TrainAsync(Encoding.UTF8.GetBytes(csv.ToString()), "shirts.csv", seed: 3, parallelism: 2, CopulaFitting.InequalityGaps);
        var guarded = SynthesisRun.ForSynthesis(model, table, seed: 5, SynthesisRevision.Current);
        Assert.False(guarded.Model.Guard!.IsActive);
        Assert.True(guarded.Model.Guard.HoldoutCopyRate > 0.9);
        Assert.Equal(await CsvAsync(model, 3_000, 5, 2), await CsvAsync(guarded, 3_000, 5, 2));

        var (orchard, orchardTable) = await CopulaTraining.TrainAsync(Orchard(), "orchard.csv", seed: 3, parallelism: 2, CopulaFitting.InequalityGaps);
        Assert.Same(orchard, SynthesisRun.ForSynthesis(orchard, orchardTable, seed: 5, SynthesisRevision.InequalityGaps));
        Assert.Null(orchard.Model.Guard);
    }

    /// <summary>
    /// A designed experiment: every combination of 3 soils × 4 doses × 2 seasons × 5 blocks once, and the count of seedlings that
    /// came up (0–2) on each plot, higher with the dose. No plot repeats another, so no held-out row equals a training row; drawing
    /// the columns independently lands on a training combination most of the time all the same.
    /// </summary>
    private static byte[] Design()
    {
        var csv = new StringBuilder("soil,dose,season,block,seedlings\n");
        foreach (var soil in new[] { "clay", "loam", "sand" })
            for (var dose = 0; dose < 4; dose++)
                foreach (var season in new[] { "spring", "autumn" })
                    for (var block = 1; block <= 5; block++)
                        csv.Append($"{soil},{dose * 10},{season},B{block},{(dose + (soil.Length + block + (season == "spring" ? 1 : 0)) % 2) / 2}\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task A_designed_experiments_copies_are_kept_as_often_as_its_columns_drawn_independently_make_them_and_its_shapes_recover()
    {
        var (model, table) = await CopulaTraining.TrainAsync(Design(), "design.csv", seed: 3, parallelism: 2, CopulaFitting.PrecisionKept);
        var rows = table.Training[0].Length;

        // Revision 10 draws every copy again: the rows left are the held-out combinations, and the columns' shapes bend.
        var redrawn = SynthesisRun.ForSynthesis(model, table, seed: 9, SynthesisRevision.PrecisionKept);
        Assert.Equal(0, redrawn.Model.Guard!.KeepShare);
        var redrawnRows = ModelSampler.SampleModelled(redrawn, seed: 9, count: rows, parallelism: 2, Ct);
        Assert.Equal(0, CopiesOf(table.Training, redrawnRows));

        var kept = SynthesisRun.ForSynthesis(model, table, seed: 9, SynthesisRevision.MarginalCopies);
        var guard = kept.Model.Guard!;
        Assert.Equal(0, guard.HoldoutCopyRate);
        Assert.InRange(guard.IndependentCopyRate!.Value, 0.2, 0.9);
        Assert.True(guard.TrialCopyRate > guard.IndependentCopyRate, $"{guard.TrialCopyRate} against {guard.IndependentCopyRate}");
        Assert.Equal(guard.IndependentCopyRate.Value / guard.TrialCopyRate, guard.KeepShare!.Value, 9);

        // On many rows the share of copies comes to the independent columns' rate: each copy's fate is decided once.
        var many = ModelSampler.SampleModelled(kept, seed: 9, count: 20_000, parallelism: 2, Ct);
        var share = CopiesOf(table.Training, many) / 20_000.0;
        Assert.InRange(share, guard.IndependentCopyRate.Value - 0.02, guard.IndependentCopyRate.Value + 0.02);

        // Scored on 20,000 rows, where the sample's own noise is small: the shapes lost to redrawing come back.
        var before = QualityScores.Compute(table.Training, ModelSampler.SampleModelled(redrawn, seed: 9, count: 20_000, parallelism: 2, Ct));
        var after = QualityScores.Compute(table.Training, many);
        Assert.True(after.ColumnShapes > before.ColumnShapes + 0.01, $"{before.ColumnShapes} → {after.ColumnShapes}");
        Assert.True(after.ColumnPairTrends > before.ColumnPairTrends, $"{before.ColumnPairTrends} → {after.ColumnPairTrends}");

        var keptRows = ModelSampler.SampleModelled(kept, seed: 9, count: rows, parallelism: 2, Ct);

        var (_, privacy) = SynthesisRun.Evaluate(kept, table, rows, 9, 2, SynthesisRevision.MarginalCopies, Ct);
        Assert.Equal("pass", privacy["verdict"]!.GetValue<string>());
        Assert.True(privacy["exact_copies"]!["synthetic_rows_equal_to_a_training_row"]!.GetValue<long>() > 0);
        Assert.Equal(Math.Round(guard.IndependentCopyRate.Value, 6), privacy["copy_guard"]!["independent_copy_rate"]!.GetValue<double>());
        Assert.NotNull(privacy["independent_closer_than_baseline"]);
        // The same rows judged against the holdout alone, as revision 10's report judges: their copies are a warning.
        var holdoutOnly = PrivacyReport.Compute(table, keptRows, 9, 2, Ct, redrawn.Model.Guard);
        Assert.Equal("warning", holdoutOnly["verdict"]!.GetValue<string>());
        Assert.Contains(holdoutOnly["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains("equal a training row", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_that_copies_more_than_both_held_out_rows_and_its_independent_columns_keeps_copies_only_up_to_the_larger_rate()
    {
        var (model, table) = await CopulaTraining.TrainAsync(Orchard(), "orchard.csv", seed: 3, parallelism: 2, CopulaFitting.PrecisionKept);
        var guarded = SynthesisRun.ForSynthesis(model, table, seed: 9, SynthesisRevision.MarginalCopies);
        var guard = guarded.Model.Guard!;
        Assert.True(guard.IsActive);
        Assert.Equal(0, guard.HoldoutCopyRate);
        Assert.True(guard.TrialCopyRate > guard.IndependentAllowance(CopyGuard.TrialRows), $"{guard.TrialCopyRate} against {guard.IndependentCopyRate}");
        var rows = ModelSampler.SampleModelled(guarded, seed: 9, count: 20_000, parallelism: 2, Ct);
        var share = CopiesOf(table.Training, rows) / 20_000.0;
        Assert.True(share <= guard.IndependentAllowance(20_000), $"{share} copies against {guard.IndependentCopyRate} independent");
        Assert.True(share < guard.TrialCopyRate / 2, $"{share} copies against {guard.TrialCopyRate} drawn");
    }

    /// <summary>2,000 readings of a dial (0–999) and two gauges that follow it within a step or two: whole numbers, no row repeated.</summary>
    private static byte[] Gauges()
    {
        var csv = new StringBuilder("dial,first,second\n");
        var key = Randomness.SplitMix64.SeedKey(12);
        var seen = new HashSet<long>();
        for (var i = 0; seen.Count < 2_000; i++)
        {
            var rng = Randomness.SplitMix64.ForCell(key, i, 0);
            var (dial, first, second) = ((long)rng.NextBelow(1_000), (long)rng.NextBelow(3), (long)rng.NextBelow(2));
            if (seen.Add(dial * 10 + first * 2 + second)) csv.Append($"{dial},{dial + first},{2 * dial + second}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task Where_the_columns_drawn_independently_copy_no_more_than_the_holdout_allows_every_copy_is_the_models_and_drawn_again()
    {
        var (model, table) = await CopulaTraining.TrainAsync(Gauges(), "gauges.csv", seed: 3, parallelism: 2, CopulaFitting.PrecisionKept);
        var guarded = SynthesisRun.ForSynthesis(model, table, seed: 9, SynthesisRevision.MarginalCopies);
        var guard = guarded.Model.Guard!;
        Assert.True(guard.IndependentCopyRate < PrivacyReport.AllowedCopyRate(guard.HoldoutCopyRate!.Value, guard.HoldoutRows),
            $"independent {guard.IndependentCopyRate}, holdout {guard.HoldoutCopyRate}");
        Assert.Null(guard.IndependentAllowance(20_000));
        Assert.True(guard.IsActive, $"trial {guard.TrialCopyRate}");
        Assert.Equal(0, CopiesOf(table.Training, ModelSampler.SampleModelled(guarded, seed: 9, count: 20_000, parallelism: 2, Ct)));
    }

    [Fact]
    public async Task Training_rows_handed_out_as_synthetic_are_still_a_warning_against_both_baselines()
    {
        foreach (var (bytes, name) in new[] { (Orchard(), "orchard.csv"), (Design(), "design.csv") })
        {
            var (model, table) = await CopulaTraining.TrainAsync(bytes, name, seed: 3, parallelism: 2, CopulaFitting.PrecisionKept);
            var guard = SynthesisRun.ForSynthesis(model, table, seed: 9, SynthesisRevision.MarginalCopies).Model.Guard!;
            Assert.NotNull(guard.IndependentCopyRate);
            // Every training row once, then again: a table that copies all its rows, as a memorising model would.
            var rows = table.Training[0].Length;
            var copied = table.Training.Select(c => c.AtRows([.. Enumerable.Range(0, 2 * rows).Select(r => r % rows)])).ToArray();
            var privacy = PrivacyReport.Compute(table, copied, 9, 2, Ct, guard);
            Assert.Equal("warning", privacy["verdict"]!.GetValue<string>());
            var reasons = privacy["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
            Assert.Contains(reasons, r => r.Contains("equal a training row", StringComparison.Ordinal) && r.Contains("drawn independently", StringComparison.Ordinal));
            Assert.Contains(reasons, r => r.Contains("closer to a training row", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(0.0136, 20_000, 20, 2)]
    [InlineData(0.0, 20_000, 50, 0)]
    [InlineData(0.40, 20_000, 100_000, 40_900)]
    public void A_small_samples_allowance_follows_the_binomials_tail_and_a_large_ones_its_rate(double rate, int baselineRows, int sampleRows, int leastAllowed)
    {
        var allowed = PrivacyReport.AllowedShare(rate, baselineRows, sampleRows) * sampleRows;
        Assert.True(allowed >= leastAllowed, $"{allowed} allowed");
        // The baseline's three standard deviations and 0.1%, then the sample's three, at most: not a blanket allowance.
        var upper = rate + 3 * Math.Sqrt(rate * (1 - rate) / baselineRows) + 0.001;
        var bound = upper + 3 * Math.Sqrt(Math.Max(upper, 1.0 / sampleRows) * (1 - upper) / sampleRows);
        Assert.True(allowed / sampleRows <= bound + 2.0 / sampleRows, $"{allowed / sampleRows} against {bound}");
    }

    [Fact]
    public void A_block_drawn_again_keeps_its_strata_moving_the_fresh_rows_inside_theirs_then_rotating_one_columns_among_them()
    {
        const int rows = 50;
        var scores = new Randomness.SplitMix64(17);
        var drawn = Enumerable.Range(0, rows).Select(_ => new[] { scores.NextGaussian(), scores.NextGaussian() }).ToArray();
        double[,] Stratified(IReadOnlySet<int>? fresh, int attempt = 1)
        {
            using var block = new StratifiedBlock(rows, 2);
            for (var r = 0; r < rows; r++) block.SetRow(r, drawn[r]);
            block.Stratify(seedKey: 99, firstRow: 1_000);
            if (fresh is not null) block.Refresh(seedKey: 99, firstRow: 1_000, fresh, attempt);
            var result = new double[rows, 2];
            for (var r = 0; r < rows; r++)
                for (var d = 0; d < 2; d++) result[r, d] = block.Probability(r, d);
            return result;
        }
        var first = Stratified(null);
        var again = Stratified(new HashSet<int> { 3, 17 });
        for (var r = 0; r < rows; r++)
            for (var d = 0; d < 2; d++)
            {
                if (r is 3 or 17)
                {
                    Assert.NotEqual(first[r, d], again[r, d]);
                    Assert.Equal((int)(first[r, d] * rows), (int)(again[r, d] * rows));
                }
                else Assert.Equal(first[r, d], again[r, d]);
            }

        // The third attempt rotates the first column's strata among the fresh rows: each takes the next one's; the second column's stay.
        int Stratum(double p) => (int)(p * rows);
        var rotated = Stratified(new HashSet<int> { 3, 17, 40 }, attempt: 3);
        Assert.Equal([Stratum(first[17, 0]), Stratum(first[40, 0]), Stratum(first[3, 0])], new[] { 3, 17, 40 }.Select(r => Stratum(rotated[r, 0])));
        Assert.Equal(new[] { 3, 17, 40 }.Select(r => Stratum(first[r, 1])), new[] { 3, 17, 40 }.Select(r => Stratum(rotated[r, 1])));
        for (var r = 0; r < rows; r++)
            if (r is not (3 or 17 or 40)) Assert.Equal((first[r, 0], first[r, 1]), (rotated[r, 0], rotated[r, 1]));
    }
}
