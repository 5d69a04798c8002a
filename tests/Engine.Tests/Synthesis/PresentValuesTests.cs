using System.Globalization;
using System.Text;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>
/// A nullable number whose presence goes with another column: from revision 10 its present values follow its own distribution
/// (<see cref="GaussianCopula.PresentOntoMarginals"/>), where the kept scores leaned to one end before.
/// </summary>
public sealed class PresentValuesTests
{
    /// <summary>
    /// 400 patients: a risk score, and the days (after entry) of six events, each of which a patient has or not (1 in 12), the
    /// sooner the higher their risk. Two events seldom fall on one patient, so the correlations between them rest on a few rows.
    /// </summary>
    private static byte[] Patients()
    {
        var random = new Random(11);
        var csv = new StringBuilder("risk,event_1,event_2,event_3,event_4,event_5,event_6\n");
        for (var i = 0; i < 400; i++)
        {
            var risk = Math.Round(random.NextDouble() * 10, 2);
            csv.Append(risk.ToString("0.00", CultureInfo.InvariantCulture));
            for (var e = 0; e < 6; e++)
            {
                var day = random.Next(12) == 0 ? (100 * (int)((3_000 - 200 * risk + random.Next(0, 900)) / 100)).ToString(CultureInfo.InvariantCulture) : "";
                csv.Append(',').Append(day);
            }
            csv.Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>
    /// Over the six events: the largest two-sample Kolmogorov–Smirnov statistic of the days present in the training rows and in
    /// 20,000 synthetic rows, the share of null days, and the correlation of risk and day over the days present.
    /// </summary>
    private static async Task<(double Ks, double NullShare, double RiskDayCorrelation)> SynthesizeAsync(CopulaFitting fitting)
    {
        var (model, table) = await CopulaTraining.TrainAsync(Patients(), "patients.csv", seed: 3, parallelism: 2, fitting);
        var rows = await CopulaTraining.SampleRowsAsync(model, 20_000, 5);
        double worst = 0, nulls = 0;
        var (risks, days) = (new List<double>(), new List<double>());
        for (var e = 1; e <= 6; e++)
        {
            var present = rows.Where(r => r[e].Length > 0).ToArray();
            var presentDays = present.Select(r => double.Parse(r[e], CultureInfo.InvariantCulture)).ToArray();
            var real = ((NumericColumn)table.Training[e]).Values.Where(v => !double.IsNaN(v)).Order().ToArray();
            worst = Math.Max(worst, Ks(real, [.. presentDays.Order()]));
            nulls += 1 - (double)present.Length / rows.Length;
            risks.AddRange(present.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)));
            days.AddRange(presentDays);
        }
        return (worst, nulls / 6, Correlations.Pearson([.. risks], [.. days]));
    }

    private static double Ks(double[] a, double[] b)
    {
        double d = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return d;
    }

    [Fact]
    public async Task The_present_values_of_a_number_whose_presence_goes_with_another_column_follow_its_own_distribution()
    {
        var (ks, nullShare, correlation) = await SynthesizeAsync(SynthesisRevision.Current.CopulaFitting);
        Assert.True(ks < 0.04, $"KS {ks:0.000}");
        Assert.InRange(nullShare, 0.89, 0.94);
        // The present values keep their order: the sooner the higher the risk (−0.9 in the table; about −0.5 drawn, at either
        // revision, the copula's correlations between the six sparse events resting on a few rows each; drawn on its own: 0).
        Assert.True(correlation < -0.4, $"correlation {correlation:0.000}");
    }

    [Fact]
    public async Task Contracts_of_earlier_revisions_draw_the_present_values_leaning_as_they_did()
    {
        var (ks, _, _) = await SynthesizeAsync(CopulaFitting.MarginalsRefined);
        Assert.True(ks > 0.1, $"KS {ks:0.000}");
    }
}
