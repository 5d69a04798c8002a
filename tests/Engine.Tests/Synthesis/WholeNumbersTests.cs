using System.Globalization;
using System.Text;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>Whole numbers written with decimals (3750.0, as pandas writes integers with nulls): drawn whole from revision 9, written as the table writes them.</summary>
public sealed class WholeNumbersTests
{
    /// <summary>200 birds: a mass in grams written as pandas writes a column of integers with a null (3750.0), and a bill length in tenths of a millimetre.</summary>
    private static byte[] Birds()
    {
        var csv = new StringBuilder("mass_g,bill_mm\n");
        for (var i = 0; i < 200; i++)
        {
            var mass = i == 17 ? "" : (3000 + i * 37 % 2400).ToString("0.0", CultureInfo.InvariantCulture);
            csv.Append(mass).Append(',').Append((35 + i * 13 % 150 / 10.0).ToString("0.0", CultureInfo.InvariantCulture)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task<string[][]> RowsAsync(CopulaFitting fitting)
    {
        var (model, _) = await CopulaTraining.TrainAsync(Birds(), "birds.csv", seed: 3, parallelism: 2, fitting);
        return await CopulaTraining.SampleRowsAsync(model, 2_000, 5);
    }

    [Fact]
    public async Task A_column_of_whole_numbers_written_with_a_decimal_comes_out_as_whole_numbers_written_the_same_way()
    {
        var (model, _) = await CopulaTraining.TrainAsync(Birds(), "birds.csv", seed: 3, parallelism: 2, SynthesisRevision.Current.CopulaFitting);
        var mass = model.Codecs.Single(c => c.Name == "mass_g");
        Assert.True(mass.WholeNumbers);
        Assert.Equal(1, mass.Decimals);
        Assert.True(ColumnCodec.FromJson(mass.ToJson()).WholeNumbers);
        Assert.False(model.Codecs.Single(c => c.Name == "bill_mm").WholeNumbers);

        var rows = await RowsAsync(SynthesisRevision.Current.CopulaFitting);
        var masses = rows.Select(r => r[0]).Where(m => m.Length > 0).ToArray();
        Assert.NotEmpty(masses);
        Assert.All(masses, m => Assert.EndsWith(".0", m));
        // The bill length keeps its tenths.
        Assert.Contains(rows, r => !r[1].EndsWith(".0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contracts_of_earlier_revisions_draw_the_column_as_decimals_as_they_did()
    {
        var (model, _) = await CopulaTraining.TrainAsync(Birds(), "birds.csv", seed: 3, parallelism: 2, CopulaFitting.NullClusters);
        var mass = model.Codecs.Single(c => c.Name == "mass_g");
        Assert.False(mass.WholeNumbers);
        Assert.Null(mass.ToJson()["whole_numbers"]);
        var rows = await RowsAsync(CopulaFitting.NullClusters);
        Assert.Contains(rows, r => r[0].Length > 0 && !r[0].EndsWith(".0", StringComparison.Ordinal));
    }
}
