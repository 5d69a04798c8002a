using System.Globalization;
using System.Text;
using RadMah.Engine.Analysis.Profiling;
using RadMah.Engine.Tests.Datasets;

namespace RadMah.Engine.Tests.Analysis;

public class ProfilerTests
{
    /// <summary>A small export as spreadsheets and CRMs write them: every kind of dirt the issue lists.</summary>
    private static byte[] DirtyCsv()
    {
        var sb = new StringBuilder();
        sb.Append('\uFEFF');
        sb.Append("customer_id,email,phone,signup,amount,country,zip,comment,status,status,score,lat,lon,is_active,visits\r\n");
        string[] missing = ["", "NA", "null", "-", "N/A"];
        string[] statuses = ["active", "churned", "trial"];
        for (var i = 0; i < 400; i++)
        {
            var date = new DateTime(2024, 1, 1).AddDays(i % 300);
            // Mixed date formats: ISO, day-first with slashes (unambiguous days > 12 appear), and month names.
            var signup = (i % 3) switch
            {
                0 => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                1 => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
                _ => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
            };
            var amount = i % 10 == 0 ? missing[i / 10 % missing.Length] : "\"" + (1000 + i * 37.25).ToString("#,##0.00", CultureInfo.InvariantCulture) + "\"";
            var comment = i % 7 == 0 ? "\"Called twice, then \"\"escalated\"\"\nto support\"" : "\"ok, no issue\"";
            sb.Append(CultureInfo.InvariantCulture, $"CUS-{i:D5},user{i}@example.com,+1 (555) 010-{i % 10000:D4},{signup},{amount},");
            sb.Append(new[] { "US", "DE", "FR", "GB" }[i % 4]).Append(',');
            sb.Append(CultureInfo.InvariantCulture, $"{i % 90000:D5},{comment},{statuses[i % 3]},{statuses[(i + 1) % 3]},{i % 5},");
            sb.Append(CultureInfo.InvariantCulture, $"{40 + i % 10 * 0.1:F4},{-70 - i % 10 * 0.1:F4},{(i % 2 == 0 ? "true" : "false")},{i % 12}\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task A_dirty_export_gets_the_types_a_person_would_give_it()
    {
        var profile = await Profiles.OfAsync(DirtyCsv());
        Assert.Equal(400, profile.Table.Rows);
        Assert.Equal(15, profile.Table.ColumnCount);
        var types = profile.Columns.ToDictionary(c => c.Name, c => c.SemanticType);
        Assert.Equal("identifier", types["customer_id"]);
        Assert.Equal("email", types["email"]);
        Assert.Equal("phone", types["phone"]);
        Assert.Equal("date", types["signup"]);
        Assert.Equal("decimal", types["amount"]);
        Assert.Equal("country_code", types["country"]);
        Assert.Equal("postal_code", types["zip"]);
        Assert.Equal("categorical", types["status"]);
        Assert.Equal("categorical", types["status_2"]);
        Assert.Equal("integer", types["score"]);
        Assert.Equal("latitude", types["lat"]);
        Assert.Equal("longitude", types["lon"]);
        Assert.Equal("boolean", types["is_active"]);
        Assert.Equal("integer", types["visits"]);
        Assert.Contains(profile.Warnings, w => w.Contains("\"status\" more than once"));
        Assert.Equal("utf-8 (with BOM)", profile.Reader["encoding"]);
    }

    [Fact]
    public async Task Missing_values_in_any_spelling_count_as_nulls_and_thousands_separators_as_numbers()
    {
        var amount = (await Profiles.OfAsync(DirtyCsv())).Column("amount");
        Assert.Equal(40, amount.Nulls);
        Assert.Equal(0.1, amount.NullRate);
        Assert.Equal(["", "-", "N/A", "NA", "null"], amount.MissingSpellings!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, amount.Invalid);
        Assert.Equal(1000 + 1 * 37.25, amount.Numeric!.Min);
        Assert.Equal(1000 + 399 * 37.25, amount.Numeric.Max);
        Assert.Equal(2, amount.Numeric.Scale);
        Assert.True(amount.Numeric.Exact);
        Assert.Equal(360, amount.Numeric.Histogram.Counts.Sum());
    }

    [Fact]
    public async Task Mixed_date_formats_are_each_reported_with_their_share_and_read_to_the_same_instants()
    {
        var signup = (await Profiles.OfAsync(DirtyCsv())).Column("signup");
        Assert.Equal(["d MMM yyyy", "dd/MM/yyyy", "yyyy-MM-dd"], signup.Temporal!.Formats.Select(f => f.Format).Order(StringComparer.Ordinal));
        Assert.All(signup.Temporal.Formats, f => Assert.InRange(f.Share, 0.33, 0.34));
        Assert.Equal("2024-01-01", signup.Temporal.Min);
        Assert.Equal(new DateTime(2024, 1, 1).AddDays(299).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), signup.Temporal.Max);
        Assert.Equal(1, signup.Confidence);
    }

    [Fact]
    public async Task Personal_data_is_flagged()
    {
        var profile = await Profiles.OfAsync(DirtyCsv());
        Assert.Equal(["email"], profile.Column("email").Pii);
        Assert.Equal(["phone"], profile.Column("phone").Pii);
        Assert.Equal(["postal_code"], profile.Column("zip").Pii);
        Assert.Equal(["location"], profile.Column("lat").Pii);
        Assert.Empty(profile.Column("status").Pii);
        var cards = await Profiles.OfAsync(Tables.Utf8("card,iban,ssn,first_name\n4111 1111 1111 1111,DE89 3704 0044 0532 0130 00,123-45-6789,Ada\n5500-0000-0000-0004,GB82 WEST 1234 5698 7654 32,987-65-4321,Grace\n"));
        Assert.Equal(["card_number"], cards.Column("card").Pii);
        Assert.Equal(["iban"], cards.Column("iban").Pii);
        Assert.Equal(["national_id"], cards.Column("ssn").Pii);
        Assert.Equal(["person_name"], cards.Column("first_name").Pii);
    }

    [Fact]
    public async Task Keys_duplicates_and_categories_are_counted_exactly_on_small_data()
    {
        var csv = new StringBuilder("id,kind,value\n");
        for (var i = 0; i < 1000; i++) csv.Append(CultureInfo.InvariantCulture, $"{i},{(i % 4 == 0 ? "a" : i % 4 == 1 ? "b" : "c")},{i % 50}\n");
        csv.Append("5,b,5\n5,b,5\n");
        var profile = await Profiles.OfAsync(Tables.Utf8(csv.ToString()));
        Assert.Equal(new CountEstimate(2, true), profile.Table.DuplicateRows);
        // id repeats (5 three times) so it is no key; nothing else is unique either.
        Assert.Empty(profile.Table.CandidatePrimaryKeys);
        var kind = profile.Column("kind");
        Assert.Equal("categorical", kind.SemanticType);
        Assert.True(kind.TopValuesExact);
        Assert.Equal([("c", 500L), ("b", 252L), ("a", 250L)], kind.TopValues.Select(v => (v.Value, v.Count)));
        Assert.Equal(new CountEstimate(3, true), kind.Distinct);
        var unique = await Profiles.OfAsync(Tables.Utf8("order_id,total\nA-1001,5\nA-1002,6\nA-1003,5\n"));
        Assert.Equal([new KeyCandidate("order_id", true)], unique.Table.CandidatePrimaryKeys);
    }

    [Fact]
    public async Task Associations_find_a_linear_pair_a_dependent_category_and_no_link_between_independent_columns()
    {
        var random = new Random(7);
        var csv = new StringBuilder("x,y,noise,group,group_value\n");
        for (var i = 0; i < 5000; i++)
        {
            var x = random.NextDouble() * 100;
            var group = i % 3;
            csv.Append(CultureInfo.InvariantCulture, $"{x:F3},{2 * x + 1:F3},{random.NextDouble():F4},{"abc"[group]},{group * 10 + random.NextDouble():F3}\n");
        }
        var associations = (await Profiles.OfAsync(Tables.Utf8(csv.ToString()))).Table.Associations;
        double Between(string a, string b) => associations.Single(x => x.A == a && x.B == b).Value;
        Assert.Equal(1.0, Between("x", "y"), 3);
        Assert.Equal(1.0, associations.Single(x => x.A == "x" && x.B == "y").Spearman!.Value, 3);
        Assert.InRange(Math.Abs(Between("x", "noise")), 0, 0.05);
        Assert.Equal("correlation_ratio", associations.Single(x => x.A == "group" && x.B == "group_value").Method);
        Assert.InRange(Between("group", "group_value"), 0.99, 1.0);
        Assert.InRange(Between("x", "group"), 0, 0.05);
    }

    [Fact]
    public async Task The_profile_is_the_same_whatever_the_parallelism()
    {
        var bytes = DirtyCsv();
        var one = await Profiles.OfAsync(bytes, options: new ProfileOptions { Parallelism = 1, Seed = 3 });
        var four = await Profiles.OfAsync(bytes, options: new ProfileOptions { Parallelism = 4, Seed = 3 });
        Assert.Equal(Convert.ToHexString(one.ToJsonBytes()), Convert.ToHexString(four.ToJsonBytes()));
    }

    [Fact]
    public async Task Large_columns_switch_to_sketches_that_stay_close_to_the_truth()
    {
        // 300,000 rows: past the exact limits for distinct counts, values and duplicate rows stay exact.
        var csv = new StringBuilder("id,value,bucket\n");
        for (var i = 0; i < 300_000; i++) csv.Append(CultureInfo.InvariantCulture, $"{i},{i % 1000},{i % 7}\n");
        var profile = await Profiles.OfAsync(Tables.Utf8(csv.ToString()), options: new ProfileOptions { AssociationSampleRows = 10_000 });
        var id = profile.Column("id");
        Assert.False(id.Distinct.Exact);
        Assert.InRange(id.Distinct.Count, 300_000 * 0.97, 300_000 * 1.03);
        Assert.Equal([new KeyCandidate("id", false)], profile.Table.CandidatePrimaryKeys);
        Assert.False(id.Numeric!.Exact);
        Assert.InRange(id.Numeric.Quantiles["0.5"], 150_000 * 0.97, 150_000 * 1.03);
        Assert.Equal(0, id.Numeric.Min);
        Assert.Equal(299_999, id.Numeric.Max);
        // Exact streaming bins: 300,000 uniform values in 20 bins of 15,000.
        Assert.All(id.Numeric.Histogram.Counts, c => Assert.InRange(c, 14_900, 15_100));
        Assert.Equal(300_000, id.Numeric.Histogram.Counts.Sum());
        Assert.Equal(new CountEstimate(1000, true), profile.Column("value").Distinct);
        Assert.Equal(10_000, profile.Table.AssociationRows);
        Assert.False(id.TopValuesExact);
    }
}
