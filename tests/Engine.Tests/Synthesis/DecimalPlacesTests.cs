using System.Globalization;
using System.Text;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>Decimal columns keep their places from revision 10 on: small values (a density, 1.26e-24) are no longer written as zeros.</summary>
public sealed class DecimalPlacesTests
{
    /// <summary>
    /// 300 rows as R writes a computed table: a density falling from 0.04 to about 1e-14 (its small values in exponent notation), a
    /// ratio with nine decimals, and a total with twelve whole digits and nine decimals.
    /// </summary>
    private static byte[] Densities()
    {
        var csv = new StringBuilder("density,ratio,total\n");
        for (var i = 0; i < 300; i++)
        {
            var density = 0.04 * Math.Exp(-0.1 * i);
            var ratio = Math.Round(0.000001 + i * 0.000000137, 9);
            var total = 123456789012.0 + i * 1000.123456789;
            csv.Append(density.ToString("G15", CultureInfo.InvariantCulture)).Append(',')
                .Append(ratio.ToString("0.000000000", CultureInfo.InvariantCulture)).Append(',')
                .Append(total.ToString("0.000000000", CultureInfo.InvariantCulture)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task<(SynthesisModel Model, string[][] Rows)> SynthesizeAsync(CopulaFitting fitting)
    {
        var (model, _) = await CopulaTraining.TrainAsync(Densities(), "densities.csv", seed: 3, parallelism: 2, fitting);
        return (model, await CopulaTraining.SampleRowsAsync(model, 3_000, 5));
    }

    private static double ZeroShare(string[][] rows, int column) =>
        (double)rows.Count(r => double.Parse(r[column], CultureInfo.InvariantCulture) == 0) / rows.Length;

    [Fact]
    public async Task A_column_of_small_values_keeps_its_places_and_is_not_written_as_zeros()
    {
        var (model, rows) = await SynthesizeAsync(SynthesisRevision.Current.CopulaFitting);
        var density = model.Codecs.Single(c => c.Name == "density");
        // Its exponent counted, the density takes more places than a double keeps: 15.
        Assert.Equal(ColumnCodec.MostDecimals, density.Decimals);
        Assert.Equal(9, model.Codecs.Single(c => c.Name == "ratio").Decimals);
        Assert.Equal(density.Decimals, ColumnCodec.FromJson(density.ToJson()).Decimals);
        Assert.Equal(0, ZeroShare(rows, 0));
        Assert.All(rows, r => Assert.Equal(15, r[0].Length - r[0].IndexOf('.') - 1));
        // The smallest synthetic densities are of the training's order, not rounded away.
        Assert.InRange(rows.Min(r => double.Parse(r[0], CultureInfo.InvariantCulture)), 1e-15, 1e-10);
    }

    [Fact]
    public async Task A_column_with_twelve_whole_digits_keeps_the_places_the_engines_decimal_holds_beside_them()
    {
        var (model, rows) = await SynthesizeAsync(SynthesisRevision.Current.CopulaFitting);
        // decimal(18) with a digit spare: 17 − 12 whole digits.
        Assert.Equal(5, model.Codecs.Single(c => c.Name == "total").Decimals);
        Assert.All(rows, r => Assert.InRange(double.Parse(r[2], CultureInfo.InvariantCulture), 123456789012.0, 123457089049.0));
    }

    [Fact]
    public async Task Contracts_of_earlier_revisions_keep_six_places_as_they_did()
    {
        var (model, rows) = await SynthesizeAsync(CopulaFitting.MarginalsRefined);
        Assert.Equal(ColumnCodec.MaxDecimals, model.Codecs.Single(c => c.Name == "density").Decimals);
        // Densities below 0.0000005 (61% of the table's) came out as 0.
        Assert.InRange(ZeroShare(rows, 0), 0.5, 0.75);
    }
}
