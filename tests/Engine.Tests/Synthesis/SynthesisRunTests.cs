using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Datasets;
using RadMah.Engine.Output;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>A real table (as CSV text) to a model file, synthetic CSV and reports, as train and synthesize run it.</summary>
public sealed class SynthesisRunTests
{
    /// <summary>
    /// Customers with dependence built in: income follows age, a plan follows income, a day-first
    /// signup date, a yes/none flag ("none" is a value here), a nullable score, unique ids and e-mails.
    /// </summary>
    private static string Customers(int rows, ulong seed = 3)
    {
        var key = SplitMix64.SeedKey(seed);
        var csv = new StringBuilder("customer_id,email,age,income,plan,signed_up,newsletter,score\n");
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var age = (int)Math.Clamp(Math.Round(42 + 11 * rng.NextGaussian()), 18, 85);
            var income = Math.Round(18_000 + 950 * age + 7_000 * rng.NextGaussian(), 2);
            var plan = income > 70_000 ? "premium" : income > 52_000 ? "plus" : "basic";
            var signedUp = new DateTime(2020, 1, 1).AddDays(rng.NextBelow(1_400));
            var newsletter = rng.NextDouble() < 0.3 ? "yes" : "none";
            var score = rng.NextDouble() < 0.05 ? "" : (0.5 + age / 100.0 + rng.NextGaussian() * 0.1).ToString("F3", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture,
                $"CUS-{i + 1:D6},user{i * 7919 % 1_000_003}@mail.test,{age},{income:F2},{plan},{signedUp:dd/MM/yyyy},{newsletter},{score}\n");
        }
        return csv.ToString();
    }

    private static Func<CancellationToken, Task<ITableReader>> Opener(string csv) => CopulaTraining.Opener(Encoding.UTF8.GetBytes(csv), "customers.csv");

    private static Task<(SynthesisModel Model, TrainingTable Table)> TrainAsync(string csv, long seed = 11, int parallelism = 2) =>
        CopulaTraining.TrainAsync(Encoding.UTF8.GetBytes(csv), "customers.csv", seed, parallelism);

    private static async Task<string> CsvAsync(SynthesisModel model, long rows, long seed, int parallelism)
    {
        using var csv = new MemoryStream();
        await SynthesisRun.WriteRowsAsync(model, rows, seed, csv, null, new DatasetWriteOptions { Parallelism = parallelism }, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(csv.ToArray());
    }

    private static string[][] Rows(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();

    [Fact]
    public async Task Synthetic_rows_keep_each_columns_type_format_and_nulls_and_never_copy_identifiers()
    {
        var real = Customers(4_000);
        var (model, _) = await TrainAsync(real);
        Assert.Equal(
            ["customer_id:Regenerated", "email:Regenerated", "age:Number", "income:Number", "plan:Category", "signed_up:Date", "newsletter:Category", "score:Number"],
            model.Codecs.Select(c => $"{c.Name}:{c.Kind}"));
        var csv = await CsvAsync(model, 5_000, seed: 4, parallelism: 2);
        Assert.StartsWith("customer_id,email,age,income,plan,signed_up,newsletter,score\r\n", csv);
        var rows = Rows(csv);
        Assert.Equal(5_000, rows.Length);
        var realIds = Rows(real.Replace("\n", "\r\n")).Select(r => r[0]).ToHashSet();
        Assert.Equal(5_000, rows.Select(r => r[0]).Distinct().Count());
        Assert.All(rows, r => Assert.Matches(@"^\d+$", r[2]));
        Assert.All(rows, r => Assert.Matches(@"^-?\d+\.\d{2}$", r[3]));
        Assert.All(rows, r => Assert.Contains(r[4], new[] { "basic", "plus", "premium" }));
        Assert.All(rows, r => Assert.Matches(@"^\d{2}/\d{2}/\d{4}$", r[5]));
        Assert.All(rows, r => Assert.Contains(r[6], new[] { "yes", "none" }));
        Assert.InRange(rows.Count(r => r[6] == "none") / 5_000.0, 0.64, 0.76);
        Assert.InRange(rows.Count(r => r[7] == "") / 5_000.0, 0.03, 0.07);
        Assert.All(rows.Where(r => r[7] != ""), r => Assert.Matches(@"^-?\d+\.\d{3}$", r[7]));
        Assert.All(rows, r => Assert.DoesNotContain(r[1], real));
        Assert.All(rows, r => Assert.True(!realIds.Contains(r[0]) || r[0].StartsWith("CUS-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_reports_score_the_rows_as_sdmetrics_would_and_find_no_copies()
    {
        var (model, table) = await TrainAsync(Customers(6_000));
        var (quality, privacy) = SynthesisRun.Evaluate(model, table, 6_000, seed: 8, parallelism: 2, SynthesisRevision.Current, TestContext.Current.CancellationToken);
        Assert.True(quality["column_shapes"]!.GetValue<double>() >= 0.95, quality.ToJsonString());
        Assert.True(quality["column_pair_trends"]!.GetValue<double>() >= 0.90, quality.ToJsonString());
        Assert.Equal(6, quality["columns"]!.AsArray().Count);
        Assert.Equal(15, quality["pairs"]!.AsArray().Count);
        Assert.Equal(["customer_id", "email"], quality["not_modelled"]!.AsArray().Select(c => c!["column"]!.GetValue<string>()));
        var ageIncome = quality["pairs"]!.AsArray().Single(p => p!["column_1"]!.GetValue<string>() == "age" && p["column_2"]!.GetValue<string>() == "income")!;
        Assert.InRange(ageIncome["synthetic_correlation"]!.GetValue<double>(), ageIncome["real_correlation"]!.GetValue<double>() - 0.05, ageIncome["real_correlation"]!.GetValue<double>() + 0.05);
        Assert.All(quality["constraints"]!.AsArray(), c => Assert.Equal(0, c!["violations"]!.GetValue<long>()));
        Assert.Equal("gaussian_copula", quality["model"]!.GetValue<string>());
        Assert.True(quality["assessment"]!["meets_targets"]!.GetValue<bool>(), quality["assessment"]!.ToJsonString());
        Assert.True(quality["assessment"]!["above_baseline"]!.GetValue<bool>());
        Assert.Empty(quality["assessment"]!["notes"]!.AsArray());
        Assert.True(quality["baseline"]!["column_pair_trends"]!.GetValue<double>() < quality["column_pair_trends"]!.GetValue<double>() - 0.05, quality["baseline"]!.ToJsonString());
        Assert.Equal("pass", privacy["verdict"]!.GetValue<string>());
        Assert.InRange(privacy["synthetic_closer_than_baseline"]!.GetValue<double>(), 0, 0.10);
        Assert.Equal(0, privacy["exact_copies"]!["synthetic_rows_equal_to_a_training_row"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_model_that_copies_its_training_rows_gets_a_privacy_warning()
    {
        var (model, table) = await TrainAsync(Customers(3_000));
        // The training rows themselves, offered as synthetic rows: every one is an exact copy.
        var privacy = Engine.Synthesis.Reports.PrivacyReport.Compute(table, table.Training, seed: 1, parallelism: 2, TestContext.Current.CancellationToken);
        Assert.Equal("warning", privacy["verdict"]!.GetValue<string>());
        Assert.Equal(table.Training[0].Length, privacy["exact_copies"]!["synthetic_rows_equal_to_a_training_row"]!.GetValue<long>());
        Assert.True(privacy["synthetic_closer_than_baseline"]!.GetValue<double>() > 0.9);
        Assert.NotNull(model);
    }

    [Fact]
    public async Task Fitting_the_same_bytes_with_the_same_seed_gives_the_same_model_and_sampling_is_the_same_on_any_thread_count()
    {
        var real = Customers(3_000);
        var (first, _) = await TrainAsync(real, seed: 5, parallelism: 1);
        var (second, _) = await TrainAsync(real, seed: 5, parallelism: 2);
        Assert.Equal(first.ToBytes(), second.ToBytes());
        var reread = SynthesisModel.Parse(first.ToBytes(), ModelFamilies.Default);
        Assert.Equal(first.ToBytes(), reread.ToBytes());
        Assert.Equal(await CsvAsync(first, 140_000, 9, parallelism: 1), await CsvAsync(reread, 140_000, 9, parallelism: 2));
        Assert.NotEqual(await CsvAsync(first, 1_000, 9, 1), await CsvAsync(first, 1_000, 10, 1));
        var (other, _) = await TrainAsync(real, seed: 6);
        Assert.NotEqual(first.ToBytes(), other.ToBytes());
    }

    [Fact]
    public async Task A_model_file_that_was_changed_is_refused_when_read()
    {
        var (model, _) = await TrainAsync(Customers(500));
        var text = Encoding.UTF8.GetString(model.ToBytes());
        var tampered = text.Replace("\"holdout_fraction\":0.2", "\"holdout_fraction\":0.3");
        Assert.NotEqual(text, tampered);
        Assert.Contains("digest does not match", Assert.Throws<ContractException>(() => SynthesisModel.Parse(Encoding.UTF8.GetBytes(tampered), ModelFamilies.Default)).Message);
        Assert.Contains("format", Assert.Throws<ContractException>(() => SynthesisModel.Parse("{\"format\":\"other/1\"}"u8, ModelFamilies.Default)).Message);
        Assert.Contains("not JSON", Assert.Throws<ContractException>(() => SynthesisModel.Parse("[1,"u8, ModelFamilies.Default)).Message);
    }

    [Theory]
    [InlineData("a,b\n1,2\n", "training needs at least 10")]
    [InlineData("a,b\n1,\n2,\n3,\n4,\n5,\n6,\n7,\n8,\n9,\n10,\n11,\n", "column 'b' holds no value")]
    [InlineData("id,email\nA-1,a@x.test\nA-2,b@x.test\nA-3,c@x.test\nA-4,d@x.test\nA-5,e@x.test\nA-6,f@x.test\nA-7,g@x.test\nA-8,h@x.test\nA-9,i@x.test\nA-10,j@x.test\nA-11,k@x.test\n", "no column can be modelled")]
    public async Task A_table_a_model_cannot_learn_from_is_refused_with_the_reason(string csv, string reason)
    {
        var error = await Assert.ThrowsAsync<ContractException>(() => TrainAsync(csv));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task A_table_of_ten_thousand_columns_is_refused()
    {
        var header = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"c{i}"));
        var row = string.Join(',', Enumerable.Range(0, 10_000).Select(i => (i % 7).ToString(CultureInfo.InvariantCulture)));
        var csv = header + "\n" + string.Concat(Enumerable.Repeat(row + "\n", 12));
        var error = await Assert.ThrowsAsync<ContractException>(() => TrainAsync(csv));
        Assert.Contains("10,000 columns; a model takes at most 250", error.Message);
    }

    [Fact]
    public async Task A_table_of_240_columns_trains_and_one_wider_than_200_trains_on_fewer_rows()
    {
        // 240 columns of baskets (an item bought or not, as Weka's supermarket table writes them) and measurements.
        var header = string.Join(',', Enumerable.Range(0, 240).Select(i => i < 200 ? $"item_{i}" : $"x_{i}"));
        var rows = Enumerable.Range(0, 40).Select(r => string.Join(',', Enumerable.Range(0, 240).Select(i =>
            i < 200 ? ((r * 7 + i * 3) % 5 == 0 ? "t" : "") : ((r * 13 + i) % 97 / 10.0).ToString("0.0", CultureInfo.InvariantCulture))));
        var (model, table) = await TrainAsync(header + "\n" + string.Join("\n", rows) + "\n");
        Assert.Equal(240, table.Training.Count);
        Assert.Equal(240, ModelSampler.SampleModelled(model, 3, 100, 2, TestContext.Current.CancellationToken).Count);

        Assert.Equal(1_000_000, TrainingTable.MaxTrainingRowsFor(200, 1_000_000));
        Assert.Equal(640_000, TrainingTable.MaxTrainingRowsFor(250, 1_000_000));
        Assert.Equal(694_444, TrainingTable.MaxTrainingRowsFor(240, 1_000_000));
    }

    [Fact]
    public async Task The_training_report_names_each_columns_model_and_the_correlation_of_every_dimension()
    {
        var (model, table) = await TrainAsync(Customers(2_000));
        var json = Engine.Synthesis.Reports.TrainingReport.Json(model);
        var columns = json["columns"]!.AsArray();
        Assert.Equal("regenerated", columns[0]!["model"]!.GetValue<string>());
        Assert.Equal("continuous", columns[3]!["model"]!.GetValue<string>());
        Assert.NotNull(columns[3]!["family"]);
        Assert.Contains("score (null)", json["correlation"]!["dimensions"]!.AsArray().Select(d => d!.GetValue<string>()));
        // The plan (three values, set by income) is drawn given the other columns: the report says so.
        Assert.Equal(["plan"], json["correlation"]!["drawn_given_the_others"]!.AsArray().Select(d => d!.GetValue<string>()));
        var html = Engine.Synthesis.Reports.TrainingReport.Html(model, table);
        Assert.Contains("<svg", html);
        Assert.Equal(html, Engine.Synthesis.Reports.TrainingReport.Html(model, table));
        Assert.IsType<JsonObject>(json);
    }

    [Fact]
    public async Task A_daily_series_stays_a_unique_increasing_series_in_its_spelling()
    {
        var csv = new StringBuilder("day,low,high,rain_mm\n");
        var key = SplitMix64.SeedKey(8);
        for (var i = 0; i < 730; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var low = Math.Round(8 + 7 * Math.Sin(i * 2 * Math.PI / 365) + 3 * rng.NextGaussian(), 1);
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2022, 1, 1).AddDays(i):MM/dd/yyyy},{low:F1},{low + 4 + 5 * rng.NextDouble():F1},{Math.Max(0, rng.NextGaussian() * 4):F1}\n");
        }
        var (model, _) = await TrainAsync(csv.ToString());
        Assert.Equal(("Regenerated", "arithmetic"), (model.Codecs[0].Kind.ToString(), model.Codecs[0].Generator!.Generator));
        Assert.Contains(model.Model.Rules, r => r.Describe() == "low ≤ high");
        var rows = Rows(await CsvAsync(model, 1_000, seed: 2, parallelism: 2));
        var days = rows.Select(r => DateTime.ParseExact(r[0], "MM/dd/yyyy", CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(new DateTime(2022, 1, 1), days[0]);
        Assert.All(days.Skip(1).Zip(days), p => Assert.Equal(1, (p.First - p.Second).TotalDays));
        Assert.All(rows, r => Assert.True(double.Parse(r[1], CultureInfo.InvariantCulture) <= double.Parse(r[2], CultureInfo.InvariantCulture), string.Join(',', r)));
    }

    [Fact]
    public async Task A_column_of_keys_that_never_repeat_stays_unique_and_large_numbers_that_differ_by_chance_stay_modelled()
    {
        // account: a shuffle of 2,000 numbers out of 2,600 (unrelated draws would repeat often);
        // population: 2,000 distinct values out of billions (repeats were never to be expected).
        var csv = new StringBuilder("account,population,region\n");
        var key = SplitMix64.SeedKey(12);
        var accounts = Enumerable.Range(700_000, 2_600).OrderBy(a => SplitMix64.ForCell(key, a, 1).NextUInt64()).Take(2_000).ToArray();
        for (var i = 0; i < 2_000; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            csv.Append(CultureInfo.InvariantCulture, $"{accounts[i]},{(long)Math.Exp(10 + 3 * rng.NextDouble()) * 1_000 + i},{(rng.NextDouble() < 0.5 ? "east" : "west")}\n");
        }
        var (model, _) = await TrainAsync(csv.ToString());
        Assert.Equal("unique_integer", model.Codecs[0].Generator?.Generator);
        Assert.Equal(CodecKind.Number, model.Codecs[1].Kind);
        var rows = Rows(await CsvAsync(model, 3_000, seed: 1, parallelism: 2));
        var generated = rows.Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(3_000, generated.Distinct().Count());
        // The first max − min + 1 rows fill the real range; rows past it continue above the maximum.
        var size = (int)(accounts.Max() - accounts.Min() + 1);
        Assert.All(generated.Take(size), a => Assert.InRange(a, accounts.Min(), accounts.Max()));
        Assert.All(generated.Skip(size), a => Assert.True(a > accounts.Max()));
    }
}
