using System.Globalization;
using System.Text;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>
/// From revision 12 two numbers are drawn with the training rows' Pearson correlation (<see cref="CopulaFitting.PearsonMatched"/>),
/// where the correlation of their normal scores gave another wherever a marginal is far from normal.
/// </summary>
public sealed class PearsonMatchingTests
{
    /// <summary>
    /// A geyser of our own: 600 eruptions, a third short (about 2 minutes after a 55-minute wait) and the rest long (4.3 minutes
    /// after 80), with no relation within either kind; a twentieth of each column missing.
    /// </summary>
    private static byte[] Geyser()
    {
        var random = new Random(21);
        var csv = new StringBuilder("duration,waiting\n");
        for (var i = 0; i < 600; i++)
        {
            var shortOne = random.NextDouble() < 0.35;
            var duration = shortOne ? 2.0 + 0.3 * Gaussian(random) : 4.3 + 0.4 * Gaussian(random);
            var waiting = Math.Round(shortOne ? 55 + 6 * Gaussian(random) : 80 + 6 * Gaussian(random));
            csv.Append(random.Next(20) == 0 ? "" : duration.ToString("0.000", CultureInfo.InvariantCulture)).Append(',')
                .Append(random.Next(20) == 0 ? "" : waiting.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>
    /// 200 animals of our own: body weights over five orders of magnitude, brains growing as the body's ¾ power; and five giants
    /// with by far the largest bodies and brains smaller than the average, which alone turn the weights' Pearson correlation negative.
    /// </summary>
    private static byte[] Animals()
    {
        var random = new Random(8);
        var csv = new StringBuilder("body,brain\n");
        for (var i = 0; i < 200; i++)
        {
            var logBody = 2 + 2.2 * Gaussian(random);
            var brain = Math.Exp(0.75 * logBody + 0.5 * Gaussian(random));
            csv.Append(Math.Exp(logBody).ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                .Append(brain.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (var (body, brain) in new[] { (87_000.0, 6.5), (64_000.0, 9.5), (42_000.0, 4.2), (35_000.0, 8.0), (28_000.0, 5.5) })
            csv.Append(body.ToString(CultureInfo.InvariantCulture)).Append(',').Append(brain.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The Pearson correlation of the two columns in the training rows and in 20,000 rows sampled from a model fitted as <paramref name="fitting"/>.</summary>
    private static async Task<(double Training, double Synthetic)> CorrelationsAsync(byte[] table, string name, CopulaFitting fitting)
    {
        var (model, training) = await CopulaTraining.TrainAsync(table, name, seed: 4, parallelism: 2, fitting);
        var real = training.Training.Select(c => ((RadMah.Engine.Synthesis.Tables.NumericColumn)c).Values).ToArray();
        var rows = await CopulaTraining.SampleRowsAsync(model, 20_000, 6);
        var both = rows.Where(r => r[0].Length > 0 && r[1].Length > 0).ToArray();
        return (Correlations.Pearson(real[0], real[1]),
            Correlations.Pearson([.. both.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture))], [.. both.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture))]));
    }

    [Fact]
    public async Task Two_numbers_in_two_clumps_and_with_nulls_are_drawn_with_the_training_rows_pearson_correlation()
    {
        var (training, synthetic) = await CorrelationsAsync(Geyser(), "geyser.csv", CopulaFitting.PearsonMatched);
        Assert.True(training > 0.8, $"training {training:0.000}");
        Assert.True(Math.Abs(synthetic - training) < 0.02, $"training {training:0.000}, synthetic {synthetic:0.000}");
    }

    [Fact]
    public async Task A_correlation_a_few_extreme_rows_make_is_drawn_as_the_table_has_it_where_the_normal_scores_correlation_reversed_it()
    {
        var (training, matched) = await CorrelationsAsync(Animals(), "animals.csv", CopulaFitting.PearsonMatched);
        var (_, scores) = await CorrelationsAsync(Animals(), "animals.csv", CopulaFitting.BreachesInGroup);
        Assert.True(training < 0, $"training {training:0.000}");
        Assert.True(Math.Abs(matched - training) < 0.05, $"training {training:0.000}, revision 12 {matched:0.000}");
        // Revision 11 draws the weights with their ranks' strong tie, so the giants' bodies come with large brains.
        Assert.True(scores > training + 0.3, $"training {training:0.000}, revision 11 {scores:0.000}");
    }

    [Fact]
    public async Task Matched_correlations_are_the_same_whatever_the_thread_count()
    {
        var (one, _) = await CopulaTraining.TrainAsync(Geyser(), "geyser.csv", seed: 4, parallelism: 1, CopulaFitting.PearsonMatched);
        var (four, _) = await CopulaTraining.TrainAsync(Geyser(), "geyser.csv", seed: 4, parallelism: 4, CopulaFitting.PearsonMatched);
        Assert.Equal(one.ToBytes(), four.ToBytes());
    }
}
