using System.Globalization;
using System.Text;
using RadMah.Engine.Analysis.Inference;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Contracts;

namespace RadMah.Engine.Tests.Analysis;

/// <summary>analyze → contract → mock: the look-alike keeps column names, types, ranges and category sets.</summary>
public class LookAlikeTests
{
    private static byte[] Source()
    {
        var random = new Random(11);
        var sb = new StringBuilder("order_id,customer_id,email,phone,zip,placed_at,ship_date,amount,quantity,status,country,first_name,note,is_gift,device_id\n");
        string[] statuses = ["pending", "shipped", "delivered", "returned"];
        double[] weights = [0.1, 0.3, 0.5, 0.1];
        for (var i = 0; i < 3000; i++)
        {
            var u = random.NextDouble();
            var status = u < 0.1 ? statuses[0] : u < 0.4 ? statuses[1] : u < 0.9 ? statuses[2] : statuses[3];
            var placed = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 365 * 24 * 60));
            sb.Append(CultureInfo.InvariantCulture, $"ORD-{i + 1:D6},CUS-{random.Next(1, 400):D5},u{i}@shop.test,+44 20 {random.Next(1000, 9999)} {random.Next(1000, 9999)},");
            sb.Append(CultureInfo.InvariantCulture, $"{random.Next(10000, 99999)},{placed:yyyy-MM-dd'T'HH:mm:ss'Z'},{placed.AddDays(random.Next(1, 9)):yyyy-MM-dd},");
            sb.Append(CultureInfo.InvariantCulture, $"{Math.Exp(3 + random.NextDouble() * 2):F2},{random.Next(1, 6)},{status},{new[] { "GB", "IE", "FR" }[i % 3]},");
            sb.Append(CultureInfo.InvariantCulture, $"{new[] { "Alice", "Bob", "Chloe", "David", "Emma", "Felix" }[i % 6]},\"{(i % 4 == 0 ? $"Leave at the door please, ring {random.Next(2, 9)} times after {random.Next(1, 12)} pm" : $"Deliver to unit {random.Next(1, 500)} on floor {random.Next(1, 30)}")}\",{(i % 5 == 0 ? "yes" : "no")},{Guid.NewGuid()}\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task Mocking_from_the_inferred_contract_keeps_names_types_ranges_and_categories()
    {
        var original = await Profiles.OfAsync(Source());
        var contract = ContractInference.Infer(original, rows: 5000, seed: 9);
        var sealedContract = contract.Seal();
        // Sealing writes the canonical form directly; it equals the canonical form of the contract's document.
        Assert.Equal(CanonicalJson.SerializeToString(contract.ToJson()), sealedContract.CanonicalJson);
        // The inferred contract is an ordinary sealed mock contract: it reads back to the same digest.
        Assert.Equal(sealedContract.Digest, MockContract.Parse(sealedContract.CanonicalJson).Seal().Digest);

        var (csv, _) = await TestData.GenerateAsync(contract);
        var lookAlike = await Profiles.OfAsync(csv);
        Assert.Equal(5000, lookAlike.Table.Rows);
        Assert.Equal(original.Columns.Select(c => c.Name), lookAlike.Columns.Select(c => c.Name));
        foreach (var column in original.Columns)
        {
            var copy = lookAlike.Column(column.Name);
            Assert.True(column.SemanticType == copy.SemanticType, $"{column.Name}: {column.SemanticType} became {copy.SemanticType}");
        }
        Assert.Equal(original.Column("status").Categories!.Select(v => v.Value).Order(), lookAlike.Column("status").Categories!.Select(v => v.Value).Order());
        Assert.Equal(original.Column("country").Categories!.Select(v => v.Value).Order(), lookAlike.Column("country").Categories!.Select(v => v.Value).Order());
        // Frequencies follow the original (5,000 draws: within a few points).
        foreach (var category in original.Column("status").Categories!)
            Assert.InRange(lookAlike.Column("status").Categories!.Single(v => v.Value == category.Value).Frequency, category.Frequency - 0.03, category.Frequency + 0.03);
        // Ranges stay inside the original's, and the median lands near it.
        foreach (var name in new[] { "amount", "quantity" })
        {
            var (a, b) = (original.Column(name).Numeric!, lookAlike.Column(name).Numeric!);
            Assert.InRange(b.Min, a.Min, a.Max);
            Assert.InRange(b.Max, a.Min, a.Max);
            Assert.InRange(b.Quantiles["0.5"], a.Quantiles["0.25"], a.Quantiles["0.75"]);
        }
        Assert.InRange(lookAlike.Column("is_gift").Boolean!.TrueRate, 0.17, 0.23);
        var placed = lookAlike.Column("placed_at").Temporal!;
        Assert.True(string.CompareOrdinal(placed.Min, original.Column("placed_at").Temporal!.Min) >= 0);
        Assert.True(string.CompareOrdinal(placed.Max, original.Column("placed_at").Temporal!.Max) <= 0);
        // Unique ids stay unique with their prefix; repeating ids keep their prefix and cardinality.
        Assert.DoesNotContain(lookAlike.Table.CandidatePrimaryKeys, k => k.Column == "customer_id");
        Assert.Contains(lookAlike.Table.CandidatePrimaryKeys, k => k.Column == "order_id");
        Assert.All(lookAlike.Column("order_id").TopValues, v => Assert.StartsWith("ORD-", v.Value));
        Assert.All(lookAlike.Column("customer_id").TopValues, v => Assert.StartsWith("CUS-", v.Value));
        // No e-mail address, phone number or note of the original is copied.
        Assert.DoesNotContain(lookAlike.Column("email").TopValues, v => v.Value.EndsWith("@shop.test", StringComparison.Ordinal));
        Assert.DoesNotContain("Leave at the door", Encoding.UTF8.GetString(csv));
    }

    [Fact]
    public async Task The_same_profile_rows_and_seed_give_the_same_contract_digest()
    {
        var bytes = Source();
        var a = ContractInference.Infer(await Profiles.OfAsync(bytes), 100, 1).Seal().Digest;
        var b = ContractInference.Infer(await Profiles.OfAsync(bytes), 100, 1).Seal().Digest;
        Assert.Equal(a, b);
        Assert.NotEqual(a, ContractInference.Infer(await Profiles.OfAsync(bytes), 100, 2).Seal().Digest);
    }

    [Fact]
    public async Task A_word_that_pandas_reads_as_a_value_stays_a_value_and_nulls_and_date_spellings_come_back()
    {
        var sb = new StringBuilder("flag,score,day\n");
        for (var i = 0; i < 1000; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{(i % 11 == 0 ? "yes" : "none")},{(i % 40 == 0 ? "" : (i % 97 * 0.5).ToString("F1", CultureInfo.InvariantCulture))},{new DateTime(2023, 1, 1).AddDays(i % 300):dd/MM/yyyy}\n");
        var contract = ContractInference.Infer(await Profiles.OfAsync(Encoding.UTF8.GetBytes(sb.ToString())), rows: 4000, seed: 2);
        var flag = contract.Columns.Single(c => c.Name == "flag");
        Assert.Equal(("categorical", 0.0), (flag.Generator, flag.NullRate));
        Assert.Equal(["none", "yes"], flag.GetStrings("values").Order());
        var (csv, _) = await TestData.GenerateAsync(contract);
        var rows = Encoding.UTF8.GetString(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.InRange(rows.Count(r => r[0] == "none") / 4000.0, 0.88, 0.94);
        Assert.InRange(rows.Count(r => r[1] == "") / 4000.0, 0.015, 0.04);
        Assert.All(rows, r => Assert.Matches(@"^\d{2}/\d{2}/2023$", r[2]));
    }

    /// <summary>Patients: weight follows height, a dose follows weight, a ward follows age; a few visits lack a weight.</summary>
    private static byte[] Dependent(int rows)
    {
        var random = new Random(5);
        var sb = new StringBuilder("patient,age,height_cm,weight_kg,dose_mg,ward\n");
        for (var i = 0; i < rows; i++)
        {
            double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var age = random.Next(18, 90);
            var height = 150 + 30 * random.NextDouble();
            var weight = height - 100 + 8 * Gauss();
            var dose = Math.Round(weight * 1.5 + 5 * Gauss());
            var ward = age > 70 ? "geriatrics" : age > 45 ? (random.NextDouble() < 0.5 ? "cardiology" : "general") : "general";
            sb.Append(CultureInfo.InvariantCulture, $"P{i:D6},{age},{height:F1},{(i % 50 == 0 ? "" : weight.ToString("F1", CultureInfo.InvariantCulture))},{dose},{ward}\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<IReadOnlyList<Engine.Synthesis.Tables.TableColumn>> ColumnsAsync(byte[] csv, IReadOnlyList<Engine.Synthesis.Tables.ColumnCodec> codecs, long rows)
    {
        await using var reader = await Engine.Datasets.TableReaders.OpenAsync(new MemoryStream(csv), Engine.Datasets.DatasetFormat.Csv, "t.csv", null, TestContext.Current.CancellationToken);
        var split = new Engine.Synthesis.Tables.TrainingSplit { HoldoutFraction = 0 };
        return (await Engine.Synthesis.Tables.TrainingTable.LoadAsync(reader, codecs, rows, split, TestContext.Current.CancellationToken)).Training;
    }

    /// <summary>A CSV's profile and the dependence analyze fits for its look-alike (seed 3, the current revision).</summary>
    private static async Task<(Engine.Analysis.Profiling.DatasetProfile Profile, Engine.Synthesis.LookAlikeDependence? Dependence)> ProfileWithDependenceAsync(byte[] bytes)
    {
        var profile = await Profiles.OfAsync(bytes);
        var dependence = await Engine.Synthesis.SynthesisRun.FitLookAlikeAsync(
            ct => Engine.Datasets.TableReaders.OpenAsync(new MemoryStream(bytes), Engine.Datasets.DatasetFormat.Csv, "t.csv", null, ct), profile, 3, 2,
            Engine.Synthesis.SynthesisRevision.Current.CopulaFitting, TestContext.Current.CancellationToken);
        return (profile, dependence);
    }

    [Fact]
    public async Task A_look_alike_with_the_tables_dependence_keeps_the_pair_trends_that_independent_columns_lose()
    {
        var bytes = Dependent(6_000);
        var (profile, dependence) = await ProfileWithDependenceAsync(bytes);
        Assert.NotNull(dependence);
        var contract = ContractInference.Infer(profile, rows: 6_000, seed: 9, dependence);
        var sealedContract = contract.Seal();
        Assert.Equal(CanonicalJson.SerializeToString(contract.ToJson()), sealedContract.CanonicalJson);
        Assert.Equal(sealedContract.Digest, MockContract.Parse(sealedContract.CanonicalJson).Seal().Digest);
        Assert.Equal("sequence", contract.Columns[0].Generator);
        Assert.All(contract.Columns.Skip(1), c => Assert.Equal(MockContract.CopulaGenerator, c.Generator));

        var real = await ColumnsAsync(bytes, dependence!.Codecs, 6_000);
        async Task<Engine.Synthesis.Quality.QualityScores> ScoreAsync(MockContract c) =>
            Engine.Synthesis.Quality.QualityScores.Compute(real, await ColumnsAsync((await TestData.GenerateAsync(c)).Csv, dependence.Codecs, 6_000));
        var joint = await ScoreAsync(contract);
        var independent = await ScoreAsync(ContractInference.Infer(profile, rows: 6_000, seed: 9));
        Assert.True(joint.ColumnShapes >= 0.95, $"shapes {joint.ColumnShapes}");
        Assert.True(joint.ColumnPairTrends >= 0.90, $"pairs {joint.ColumnPairTrends}");
        Assert.True(joint.ColumnPairTrends > independent.ColumnPairTrends + 0.05, $"joint {joint.ColumnPairTrends} against independent {independent.ColumnPairTrends}");
        Assert.True(joint.Overall >= independent.Overall, $"joint {joint.Overall} against independent {independent.Overall}");
        var weight = joint.Columns.Single(c => c.Column == "weight_kg");
        Assert.InRange(weight.SyntheticNullRate, 0.01, 0.03);
    }
    /// <summary>Stays: a discharge 0–60 days after the admission (a fifth the same day), a daily low and a high 2–9 degrees above it.</summary>
    private static byte[] Stays(int rows)
    {
        var random = new Random(8);
        var sb = new StringBuilder("stay,admitted,discharged,low_c,high_c\n");
        for (var i = 0; i < rows; i++)
        {
            var admitted = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(0, 1_500));
            var days = Math.Min(60, (int)Math.Floor(-4 * Math.Log(1 - random.NextDouble())));
            var low = Math.Round(8 + 12 * (random.NextDouble() - 0.5), 1);
            var high = low + Math.Round(2 + 7 * random.NextDouble(), 1);
            sb.Append(CultureInfo.InvariantCulture, $"S{i:D5},{admitted:yyyy-MM-dd},{admitted.AddDays(days):yyyy-MM-dd},{low:F1},{high:F1}\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task A_look_alike_draws_a_discharge_as_its_admission_plus_a_stay_and_never_before_it()
    {
        var bytes = Stays(3_000);
        var (profile, dependence) = await ProfileWithDependenceAsync(bytes);
        var contract = ContractInference.Infer(profile, rows: 3_000, seed: 4, dependence);
        var parsed = MockContract.Parse(contract.Seal().CanonicalJson);
        var gaps = parsed.Copula!["gaps"]!.AsArray().Select(g => $"{string.Join(", ", g!["lows"]!.AsArray().Select(l => l!.GetValue<string>()))} ≤ {g["high"]}").ToArray();
        // The temperatures: a copula keeps low ≤ high on its own (they are correlated about 0.86), so high is not drawn as a gap.
        Assert.Equal(["admitted ≤ discharged"], gaps);

        var rows = Encoding.UTF8.GetString((await TestData.GenerateAsync(parsed)).Csv).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(3_000, rows.Length);
        var stays = rows.Select(r => (DateTime.Parse(r[2], CultureInfo.InvariantCulture) - DateTime.Parse(r[1], CultureInfo.InvariantCulture)).TotalDays).ToArray();
        Assert.All(stays, d => Assert.InRange(d, 0, 60));
        Assert.All(rows, r => Assert.True(double.Parse(r[3], CultureInfo.InvariantCulture) <= double.Parse(r[4], CultureInfo.InvariantCulture), string.Join(",", r)));
        // The stays keep their distribution: a fifth on the same day (1 − e^(−1/4) = 22%), a mean of about 3.5 days.
        Assert.InRange(stays.Count(d => d == 0) / 3_000.0, 0.18, 0.26);
        Assert.InRange(stays.Average(), 3.0, 4.0);
    }
    [Fact]
    public async Task A_contract_whose_copula_has_broken_gaps_is_refused_with_what_is_wrong()
    {
        var bytes = Stays(600);
        var (profile, dependence) = await ProfileWithDependenceAsync(bytes);
        var json = System.Text.Json.Nodes.JsonNode.Parse(ContractInference.Infer(profile, rows: 100, seed: 4, dependence).Seal().CanonicalJson)!.AsObject();
        Assert.NotNull(MockContract.Parse(json.ToJsonString()));

        void Refused(Action<System.Text.Json.Nodes.JsonObject> breakIt, string expected)
        {
            var broken = json.DeepClone().AsObject();
            breakIt(broken["copula"]!.AsObject());
            var refused = Assert.Throws<ContractException>(() => MockContract.Parse(broken.ToJsonString()));
            Assert.Contains("The contract's copula is not one", refused.Message);
            Assert.Contains(expected, refused.Message);
        }
        Refused(c => c["gaps"]![0]!["high"] = "nowhere", "'nowhere'");
        Refused(c => c["gaps"]![0]!["lows"]![0] = "stay", "'stay'");
        Refused(c => c["gaps"] = new System.Text.Json.Nodes.JsonArray(c["gaps"]![0]!.DeepClone(), c["gaps"]![0]!.DeepClone()), "drawn as a gap twice");
        Refused(c => c.Remove("model"), "");
    }
}
