using System.Globalization;
using System.Text;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Reports;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>Groups of fewer than 30 rows (<see cref="CopulaFitting.MoreGroups"/>), and the train job's fallback where they draw too close to the training rows.</summary>
public sealed class SmallGroupsTests
{
    private static readonly string[] Directions = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];

    /// <summary>
    /// A wind rose of our own: how often the wind blew from each of 16 directions in each of 8 strengths, one row per pair (a grid),
    /// the frequency falling with strength and highest from the north.
    /// </summary>
    private static byte[] Rose()
    {
        var csv = new StringBuilder("direction,strength,frequency\n");
        var random = new Random(4);
        for (var s = 0; s < 8; s++)
            for (var d = 0; d < Directions.Length; d++)
            {
                var frequency = Math.Max(0.1, (2.5 - 0.25 * s) * (1 + 0.6 * Math.Cos(2 * Math.PI * d / 16)) + 0.15 * (random.NextDouble() - 0.5));
                csv.Append(CultureInfo.InvariantCulture, $"{Directions[d]},{s}-{s + 1},{frequency:0.0}\n");
            }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task Groups_of_a_dozen_rows_that_draw_closer_to_the_training_rows_than_unseen_rows_are_give_way_to_groups_of_thirty()
    {
        var ct = TestContext.Current.CancellationToken;
        var (model, table) = await CopulaTraining.TrainAsync(Rose(), "rose.csv", seed: 1, parallelism: 2, CopulaFitting.MoreGroups);
        var direct = GaussianCopulaFamily.Fit(table.Training, seed: 1, parallelism: 2, CopulaFitting.MoreGroups, model.Model.Rules, ct);
        var small = Assert.IsType<GroupedCopula>(GapCopula.Under(direct));
        Assert.Contains(small.TrainingRows, rows => rows < GaussianCopula.MinGroupRows);
        var rows = new Engine.Synthesis.Constraints.ConstrainedModel(direct, model.Model.Rules).Sample(0, table.Training[0].Length, Engine.Mock.Generation.CopulaBlock.KeyFor(1));
        var privacy = PrivacyReport.Compute(table, rows, 1, 2, ct);
        Assert.True(privacy["synthetic_closer_than_baseline"]!.GetValue<double>() > privacy["synthetic_closer_than_baseline_allowed"]!.GetValue<double>(), privacy.ToJsonString());

        Assert.False(GapCopula.Under(model.Model.Sampler) is GroupedCopula { } kept && kept.TrainingRows.Any(r => r < GaussianCopula.MinGroupRows));
    }

    /// <summary>
    /// Tooth lengths of our own: 10 animals for each of two supplements and three doses, the length growing with the dose and
    /// faster with one supplement.
    /// </summary>
    private static byte[] Teeth()
    {
        var csv = new StringBuilder("length,supplement,dose\n");
        var random = new Random(2);
        foreach (var (supplement, dose, mean) in new[] { ("OJ", 0.5, 13.0), ("OJ", 1.0, 22.0), ("OJ", 2.0, 26.0), ("VC", 0.5, 8.0), ("VC", 1.0, 17.0), ("VC", 2.0, 26.0) })
            for (var i = 0; i < 10; i++)
            {
                var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                csv.Append(CultureInfo.InvariantCulture, $"{mean + 3.5 * noise:0.0},{supplement},{dose:0.0}\n");
            }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task Groups_of_a_dozen_rows_that_draw_no_closer_than_unseen_rows_are_kept_and_keep_the_table_better_than_one_copula()
    {
        var bytes = Teeth();
        var (model, table) = await CopulaTraining.TrainAsync(bytes, "teeth.csv", seed: 1, parallelism: 2, CopulaFitting.MoreGroups);
        var kept = Assert.IsType<GroupedCopula>(GapCopula.Under(model.Model.Sampler));
        Assert.Equal("dose", kept.GroupedBy);
        Assert.All(kept.TrainingRows, rows => Assert.InRange(rows, GaussianCopula.MinSmallGroupRows, GaussianCopula.MinGroupRows - 1));
        var (before, _) = await CopulaTraining.TrainAsync(bytes, "teeth.csv", seed: 1, parallelism: 2, CopulaFitting.WhitenedBlocks);
        Assert.IsNotType<GroupedCopula>(GapCopula.Under(before.Model.Sampler));

        double Overall(Engine.Synthesis.Models.SynthesisModel m) => Engine.Synthesis.Quality.QualityScores.Compute(table.Training,
            Engine.Synthesis.Models.ModelSampler.SampleModelled(m, 7, table.Training[0].Length, 2, TestContext.Current.CancellationToken)).Overall;
        Assert.True(Overall(model) > Overall(before) + 0.02, $"groups of 16 rows {Overall(model):F3}, one copula {Overall(before):F3}");
    }

    [Fact]
    public async Task A_look_alike_whose_groups_of_a_dozen_rows_copy_real_rows_more_than_independent_columns_is_fitted_with_groups_of_thirty()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = Rose();
        var profile = await Analysis.Profiles.OfAsync(bytes, "rose.csv");
        var dependence = await SynthesisRun.FitLookAlikeAsync(CopulaTraining.Opener(bytes, "rose.csv"), profile, 5, 2, CopulaFitting.MoreGroups, ct);
        Assert.NotNull(dependence);
        Assert.False(GapCopula.Under(dependence.Copula.Sampler) is GroupedCopula { } kept && kept.TrainingRows.Any(r => r < GaussianCopula.MinGroupRows));

        // The same rows fitted with groups of 16: a copula per strength, which draws real rows again, far more often than the
        // table's columns drawn independently do.
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Engine.Synthesis.Tables.TableColumn[] real =
        [
            Engine.Synthesis.Tables.CategoricalColumn.FromValues("direction", [.. lines.Select(l => (string?)l[0])]),
            Engine.Synthesis.Tables.CategoricalColumn.FromValues("strength", [.. lines.Select(l => (string?)l[1])]),
            new Engine.Synthesis.Tables.NumericColumn("frequency", [.. lines.Select(l => double.Parse(l[2], CultureInfo.InvariantCulture))],
                Engine.Synthesis.Tables.NumericRole.Decimal, 1),
        ];
        var small = GaussianCopulaFamily.Fit(real, seed: 5, parallelism: 2, CopulaFitting.MoreGroups, ct);
        Assert.Contains(Assert.IsType<GroupedCopula>(small).TrainingRows, rows => rows < GaussianCopula.MinGroupRows);
        var keys = new HashSet<ulong>(Engine.Synthesis.Tables.RowKeys.All(real));
        int Copies(IReadOnlyList<Engine.Synthesis.Tables.TableColumn> rows) => Engine.Synthesis.Tables.RowKeys.All(rows).Count(keys.Contains);
        var copies = Copies(small.Sample(0, real[0].Length, Engine.Mock.Generation.CopulaBlock.KeyFor(5)));
        var independent = Copies(Engine.Synthesis.Quality.IndependentBaseline.Sample(real, real[0].Length, 5));
        Assert.True(copies > 3 * Math.Max(1, independent) && copies > 0.1 * real[0].Length, $"groups of 16 copy {copies} rows, independent columns {independent}");
    }
}
