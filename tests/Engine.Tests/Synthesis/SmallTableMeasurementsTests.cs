using System.Text;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>Revision 9 on small tables: measurements drawn between their training values where those values copied rows, and midpoint quantiles.</summary>
public sealed class SmallTableMeasurementsTests
{
    /// <summary>
    /// 40 cars: a speed of six levels and a stopping distance that follows it, nearly every distance its own. A copula that draws
    /// distances from their training values draws whole training rows.
    /// </summary>
    private static byte[] Cars()
    {
        var csv = new StringBuilder("speed,dist\n");
        for (var i = 0; i < 40; i++)
        {
            var speed = 5 + 4 * (i * 7 % 6);
            csv.Append($"{speed},{speed * 3 + i * 37 % 61}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>30 rows of five unrelated measurements, every value its own: drawn from their training values, a whole row is almost never a training row.</summary>
    private static byte[] Panel()
    {
        var csv = new StringBuilder("a,b,c,d,e\n");
        for (var i = 0; i < 30; i++)
            csv.Append(string.Join(',', Enumerable.Range(0, 5).Select(c => (100 + (i * (7 + 2 * c) + c * 11) % 31 + 0.5 * c).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Append('\n');
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task A_small_table_whose_measurements_come_out_as_whole_training_rows_is_fitted_again_with_them_continuous_and_copies_far_less()
    {
        var (before, beforeTable) = await CopulaTraining.TrainAsync(Cars(), "cars.csv", seed: 3, parallelism: 2, CopulaFitting.NullClusters);
        var (after, afterTable) = await CopulaTraining.TrainAsync(Cars(), "cars.csv", seed: 3, parallelism: 2, SynthesisRevision.Current.CopulaFitting);
        Assert.True(GaussianCopula.HasMeasurements(afterTable.Training));

        Assert.IsType<DiscreteColumn>(before.Copula!.Columns[1]);
        var copied = CopyGuard.Measure(before.Model, beforeTable, seed: 5);
        Assert.True(copied.IsActive && copied.TrialCopyRate > SynthesisRun.MeasurementsRefitCopyRate, $"trial copy rate {copied.TrialCopyRate}");

        // The speed's six levels stay levels; the distances are drawn between their training values, as integers.
        Assert.IsType<DiscreteColumn>(after.Copula!.Columns[0]);
        var dist = Assert.IsType<ContinuousColumn>(after.Copula.Columns[1]);
        Assert.Equal(0, dist.Decimals);
        var measured = CopyGuard.Measure(after.Model, afterTable, seed: 5);
        Assert.True(measured.TrialCopyRate < copied.TrialCopyRate / 2, $"{copied.TrialCopyRate} → {measured.TrialCopyRate}");
    }

    [Fact]
    public async Task A_small_table_whose_measurements_copy_no_rows_keeps_drawing_them_from_their_training_values()
    {
        var (model, table) = await CopulaTraining.TrainAsync(Panel(), "panel.csv", seed: 3, parallelism: 2, SynthesisRevision.Current.CopulaFitting);
        Assert.True(GaussianCopula.HasMeasurements(table.Training));
        Assert.False(CopyGuard.Measure(model.Model, table, seed: 5).IsActive);
        Assert.All(model.Copula!.Columns, c => Assert.IsType<DiscreteColumn>(c));
    }

    [Fact]
    public async Task A_table_of_levels_and_counts_has_no_measurements_and_is_fitted_once_as_before()
    {
        // Every value repeats: levels, not measurements. Fitting as revision 8 did and as 9 does gives the same model.
        var csv = new StringBuilder("dose,count\n");
        for (var i = 0; i < 60; i++) csv.Append($"{new[] { 0.5, 1, 2 }[i % 3]},{i * 7 % 12}\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var (model, table) = await CopulaTraining.TrainAsync(bytes, "doses.csv", seed: 3, parallelism: 2, CopulaFitting.MarginalsRefined);
        Assert.False(GaussianCopula.HasMeasurements(table.Training));
        var (earlier, _) = await CopulaTraining.TrainAsync(bytes, "doses.csv", seed: 3, parallelism: 2, CopulaFitting.NullClusters);
        Assert.Equal(earlier.ToBytes(), model.ToBytes());
    }

    [Fact]
    public void The_empirical_marginal_at_midpoints_is_within_half_a_step_of_its_values_and_the_older_one_is_not()
    {
        // Two clusters no family fits: the empirical marginal is chosen either way.
        double[] values = [.. Enumerable.Range(0, 10).Select(i => 1.0 + i * 0.1), .. Enumerable.Range(0, 10).Select(i => 50.0 + i * i)];
        Array.Sort(values);
        var midpoints = Marginal.Fit(values, midpointQuantiles: true);
        var older = Marginal.Fit(values);
        Assert.Equal("empirical", midpoints.Family);
        Assert.Equal("empirical", older.Family);
        var halfStep = 0.5 / values.Length;
        Assert.InRange(midpoints.KsStatistic, halfStep - 1e-9, halfStep + 1.0 / Marginal.Knots);
        Assert.True(older.KsStatistic > 1.5 * halfStep, $"{older.KsStatistic}");
        // The k-th value sits at probability (k + ½) / n; below ½ / n and above 1 − ½ / n, the smallest and largest values.
        // (Sampling interpolates a table of Knots + 1 quantiles, so a value at a bend of the line is met within a knot's width.)
        for (var k = 0; k < values.Length; k++)
        {
            var knotWidth = (values[Math.Min(k + 1, values.Length - 1)] - values[Math.Max(k - 1, 0)]) * values.Length / Marginal.Knots;
            Assert.InRange(midpoints.InverseCdf((k + 0.5) / values.Length), values[k] - knotWidth, values[k] + knotWidth);
        }
        Assert.Equal(values[0], midpoints.InverseCdf(0.2 / values.Length));
        Assert.Equal(values[^1], midpoints.InverseCdf(1 - 0.2 / values.Length));
        Assert.Equal(values[0], midpoints.Min);
        Assert.Equal(values[^1], midpoints.Max);
    }
}
