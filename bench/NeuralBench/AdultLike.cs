using System.Globalization;
using System.Text;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;

/// <summary>
/// A census-like table of our own making with the shape of the adult table CTGAN and TVAE are usually
/// timed on (6 numbers, 9 categories up to 41 values, skewed and zero-heavy columns, a label that
/// depends on the rest): the same encoded width without using the data itself.
/// </summary>
internal static class AdultLike
{
    private static readonly string[] Columns =
        ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation", "relationship", "race", "sex",
         "capital_gain", "capital_loss", "hours_per_week", "native_country", "income"];

    private static string[] Values(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{i}")];

    private static readonly string[] Workclass = Values("work", 9);
    private static readonly string[] Education = Values("edu", 16);
    private static readonly string[] Marital = Values("marital", 7);
    private static readonly string[] Occupation = Values("occupation", 15);
    private static readonly string[] Relationship = Values("relation", 6);
    private static readonly string[] Race = Values("race", 5);
    private static readonly string[] Country = Values("country", 41);

    private static int Skewed(ref SplitMix64 r, int count) => Math.Min(count - 1, (int)(-Math.Log(r.NextDoubleNonZero()) * count / 4));

    private static object[] Row(long seed, int i)
    {
        var r = SplitMix64.ForCell(SplitMix64.SeedKey((ulong)seed), i, 0);
        var age = Math.Clamp(17 + (int)Math.Abs(r.NextGaussian() * 14 + 20), 17, 90);
        var education = Skewed(ref r, Education.Length);
        var sex = r.NextDouble() < 0.67 ? "Male" : "Female";
        var hours = Math.Clamp((int)Math.Round(40 + r.NextGaussian() * (r.NextDouble() < 0.5 ? 2 : 12)), 1, 99);
        var gain = r.NextDouble() < 0.92 ? 0 : (int)Math.Exp(7 + 1.5 * r.NextDouble() * 2);
        var loss = r.NextDouble() < 0.95 ? 0 : 1_000 + (int)(r.NextDouble() * 3_000);
        var score = (education - 8) * 0.3 + (age - 38) * 0.05 + (sex == "Male" ? 0.8 : 0) + (hours - 40) * 0.04 + (gain > 0 ? 2 : 0) + r.NextGaussian();
        return
        [
            age, Workclass[Skewed(ref r, Workclass.Length)], (int)Math.Exp(12 + 0.5 * r.NextGaussian()), Education[education], education + 1,
            Marital[Skewed(ref r, Marital.Length)], Occupation[(int)r.NextBelow((ulong)Occupation.Length)], Relationship[Skewed(ref r, Relationship.Length)],
            Race[Skewed(ref r, Race.Length)], sex, gain, loss, hours, Country[r.NextDouble() < 0.9 ? 0 : (int)r.NextBelow((ulong)Country.Length)],
            score > 1 ? ">50K" : "<=50K",
        ];
    }

    public static TableColumn[] Table(int rows, long seed)
    {
        var data = Enumerable.Range(0, rows).Select(i => Row(seed, i)).ToArray();
        return [.. Columns.Select((name, c) => data[0][c] is int
            ? (TableColumn)new NumericColumn(name, [.. data.Select(row => (double)(int)row[c])], NumericRole.Integer)
            : CategoricalColumn.FromValues(name, [.. data.Select(row => (string?)row[c])]))];
    }

    public static string Csv(int rows, long seed)
    {
        var csv = new StringBuilder(string.Join(',', Columns)).Append('\n');
        for (var i = 0; i < rows; i++) csv.Append(string.Join(',', Row(seed, i).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).Append('\n');
        return csv.ToString();
    }
}
