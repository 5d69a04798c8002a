using System.Globalization;
using System.Text;
using RadMah.Engine.Mock.Generation;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Quality;
using RadMah.Engine.Synthesis.Reports;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>Groups of fewer than 30 rows (<see cref="CopulaFitting.MoreGroups"/>), and the train job's fallback where they draw too close to the training rows.</summary>
public sealed class SmallGroupsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
        var (model, table) = await CopulaTraining.TrainAsync(Rose(), "rose.csv", seed: 1, parallelism: 2, CopulaFitting.MoreGroups);
        var direct = GaussianCopulaFamily.Fit(table.Training, seed: 1, parallelism: 2, CopulaFitting.MoreGroups, model.Model.Rules, Ct);
        var small = Assert.IsType<GroupedCopula>(GapCopula.Under(direct));
        Assert.Contains(small.TrainingRows, rows => rows < GaussianCopula.MinGroupRows);
        var rows = new ConstrainedModel(direct, model.Model.Rules).Sample(0, table.Training[0].Length, CopulaBlock.KeyFor(1));
        var privacy = PrivacyReport.Compute(table, rows, 1, 2, Ct);
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

        double Overall(SynthesisModel m) => QualityScores.Compute(table.Training,
            ModelSampler.SampleModelled(m, 7, table.Training[0].Length, 2, Ct)).Overall;
        Assert.True(Overall(model) > Overall(before) + 0.02, $"groups of 16 rows {Overall(model):F3}, one copula {Overall(before):F3}");
    }

    [Fact]
    public async Task A_look_alike_whose_groups_of_a_dozen_rows_copy_real_rows_more_than_independent_columns_is_fitted_with_groups_of_thirty()
    {
        var bytes = Rose();
        var profile = await Analysis.Profiles.OfAsync(bytes, "rose.csv");
        var dependence = await SynthesisRun.FitLookAlikeAsync(CopulaTraining.Opener(bytes, "rose.csv"), profile, 5, 2, CopulaFitting.MoreGroups, Ct);
        Assert.NotNull(dependence);
        Assert.False(GapCopula.Under(dependence.Copula.Sampler) is GroupedCopula { } kept && kept.TrainingRows.Any(r => r < GaussianCopula.MinGroupRows));

        // The same rows fitted with groups of 16: a copula per strength, which draws real rows again, far more often than the
        // table's columns drawn independently do.
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        TableColumn[] real =
        [
            CategoricalColumn.FromValues("direction", [.. lines.Select(l => (string?)l[0])]),
            CategoricalColumn.FromValues("strength", [.. lines.Select(l => (string?)l[1])]),
            new NumericColumn("frequency", [.. lines.Select(l => double.Parse(l[2], CultureInfo.InvariantCulture))],
                NumericRole.Decimal, 1),
        ];
        var small = GaussianCopulaFamily.Fit(real, seed: 5, parallelism: 2, CopulaFitting.MoreGroups, Ct);
        Assert.Contains(Assert.IsType<GroupedCopula>(small).TrainingRows, rows => rows < GaussianCopula.MinGroupRows);
        var keys = new HashSet<ulong>(RowKeys.All(real));
        int Copies(IReadOnlyList<TableColumn> rows) => RowKeys.All(rows).Count(keys.Contains);
        var copies = Copies(small.Sample(0, real[0].Length, CopulaBlock.KeyFor(5)));
        var independent = Copies(IndependentBaseline.Sample(real, real[0].Length, 5));
        Assert.True(copies > 3 * Math.Max(1, independent) && copies > 0.1 * real[0].Length, $"groups of 16 copy {copies} rows, independent columns {independent}");
    }

    /// <summary>
    /// A survey of plants of our own: 12 symptoms of 3 to 5 levels and the disease, nine diseases of 12 to 24 plants and two of
    /// 60, each disease showing each symptom mostly at one level of its own.
    /// </summary>
    private static TableColumn[] Plants()
    {
        var key = SplitMix64.SeedKey(31);
        int[] sizes = [60, 60, 24, 22, 20, 18, 16, 15, 14, 13, 12];
        var rows = sizes.Sum();
        var disease = new string?[rows];
        var symptoms = Enumerable.Range(0, 12).Select(_ => new string?[rows]).ToArray();
        var row = 0;
        for (var d = 0; d < sizes.Length; d++)
            for (var i = 0; i < sizes[d]; i++, row++)
            {
                var rng = SplitMix64.ForCell(key, row, 0);
                disease[row] = $"disease-{d:D2}";
                for (var j = 0; j < symptoms.Length; j++)
                {
                    var levels = 3 + j % 3;
                    var usual = (d * 7 + j * 3) % levels;
                    symptoms[j][row] = $"level-{(rng.NextDouble() < 0.85 ? usual : (int)rng.NextBelow((ulong)levels))}";
                }
            }
        return [.. symptoms.Select((v, j) => (TableColumn)CategoricalColumn.FromValues($"symptom_{j:D2}", v)), CategoricalColumn.FromValues("disease", disease)];
    }

    [Fact]
    public void Diseases_of_a_dozen_plants_each_get_a_copula_of_their_own_from_the_more_groups_revision_on_and_keep_their_symptoms()
    {
        var real = Plants();
        var before = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.WhitenedBlocks, Ct));
        var now = Assert.IsType<GroupedCopula>(GaussianCopulaFamily.Fit(real, seed: 1, parallelism: 2, CopulaFitting.MoreGroups, Ct));
        // Before, a value needed 30 rows: by disease, the two of 60 plants and the nine others together, three groups that explained
        // less than a symptom's five levels did. Now each disease is a group.
        Assert.Equal(("symptom_05", 5), (before.GroupedBy, before.Groups.Count));
        Assert.Equal(("disease", 11), (now.GroupedBy, now.Groups.Count));

        var key = SplitMix64.SeedKey(5);
        double SymptomByDisease(IReadOnlyList<TableColumn> synthetic) =>
            QualityScores.Compute(real, synthetic).Pairs.Where(p => p.Column2 == "disease").Average(p => p.Score);
        var nowScore = SymptomByDisease(now.Sample(0, real[0].Length, key));
        var beforeScore = SymptomByDisease(before.Sample(0, real[0].Length, key));
        Assert.True(nowScore > 0.95, $"symptoms by disease {nowScore:F3}");
        Assert.True(nowScore > beforeScore + 0.15, $"a group per disease {nowScore:F3}, small ones pooled {beforeScore:F3}");
    }
}
